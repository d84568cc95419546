// JSON from outside, read so that what the exchange validates is what the other side reads.
// JSON.parse keeps the last of duplicate keys (ECMA-262 §25.5.1) while other parsers keep the first
// (RFC 8259 §4 leaves it undefined), so `{"nationalCode":"A","nationalCode":"B"}` could be checked
// as B and served as A: duplicates are refused. A `__proto__` key becomes an own property under
// JSON.parse but sets the prototype when the object is copied by assignment (prototype pollution),
// so it is refused too. Nesting is bounded before any recursive code (validators, filters, the
// serializer) sees the value.
//
// One pass over the raw bytes, linear in their length: strings are skipped with Buffer.indexOf,
// keys are decoded only when they contain an escape, each object remembers its keys in a Set.
// Structural characters are ASCII and never occur inside a UTF-8 multi-byte sequence.

export const MAX_JSON_DEPTH = 64;

export type JsonFault =
  | { fault: 'depth' }
  | { fault: 'duplicate'; key: string }
  | { fault: 'proto' };

const QUOTE = 0x22, BACKSLASH = 0x5c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d, COMMA = 0x2c, COLON = 0x3a;
const ARRAY = null;

/** The index of the quote that closes the string opened at `open`, or -1. */
function stringEnd(buf: Buffer, open: number): number {
  let from = open + 1;
  for (;;) {
    const q = buf.indexOf(QUOTE, from);
    if (q < 0) return -1;
    // The quote is escaped when an odd number of backslashes precede it.
    let slashes = 0;
    for (let j = q - 1; j > open && buf[j] === BACKSLASH; j--) slashes++;
    if (slashes % 2 === 0) return q;
    from = q + 1;
  }
}

/**
 * Checks raw JSON text for excess depth and, with `keys`, duplicate keys and `__proto__`; syntax
 * is JSON.parse's job.
 */
export function scanJson(buf: Buffer, o: { keys: boolean; maxDepth?: number }): JsonFault | undefined {
  const maxDepth = o.maxDepth ?? MAX_JSON_DEPTH;
  const checkKeys = o.keys;
  const stack: (Set<string> | typeof ARRAY)[] = [];
  let expectKey = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === QUOTE) {
      const end = stringEnd(buf, i);
      if (end < 0) return undefined; // unterminated: JSON.parse refuses it
      if (expectKey && checkKeys) {
        let key = buf.toString('utf8', i + 1, end);
        // "a\u0062" and "ab" are the same key: decode escapes (searching this key's bytes only).
        if (buf.subarray(i + 1, end).includes(BACKSLASH)) {
          try { key = JSON.parse(buf.toString('utf8', i, end + 1)) as string; } catch { return undefined; }
        }
        if (key === '__proto__') return { fault: 'proto' };
        // Case-folded too: case-insensitive binders (ASP.NET Core, Jackson with
        // ACCEPT_CASE_INSENSITIVE_PROPERTIES) read `NationalCode` as `nationalCode`.
        const keys = stack[stack.length - 1]!;
        const folded = key.toLowerCase();
        if (keys.has(folded)) return { fault: 'duplicate', key };
        keys.add(folded);
        expectKey = false;
      }
      i = end;
    } else if (c === LBRACE) {
      stack.push(new Set());
      if (stack.length > maxDepth) return { fault: 'depth' };
      expectKey = true;
    } else if (c === LBRACKET) {
      stack.push(ARRAY);
      if (stack.length > maxDepth) return { fault: 'depth' };
      expectKey = false;
    } else if (c === RBRACE || c === RBRACKET) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== ARRAY;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
  return undefined;
}

/** How deep a parsed JSON value nests (`[]` and `{}` count 1), without recursion. */
export function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > max) max = depth;
    if (max > limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth]);
  }
  return max;
}
