// Contract patterns (`pattern`, `patternProperties`) run on RE2, whose matching time is linear in
// the input: a pattern such as ^(a+)+$ cannot make a caller's 31-character value block the event
// loop (catastrophic backtracking, CWE-1333). RE2 has no lookarounds and no backreferences; a
// contract that uses them is refused at registration (see check-contract.ts).
import { RE2 } from 're2-wasm';

// Most contract patterns are fixed-shape identifiers (`^[0-9]{10}$`, `^IR[0-9]{24}$`,
// `^[0-9]{4}/[0-9]{2}/[0-9]{2}$`). A pattern anchored at its start, with no group, no alternation,
// no backreference or lookaround and only bounded quantifiers, is tried at one position only and
// can match there in at most `ways` ways of at most `length` characters each: even a backtracking
// engine does at most ways × length steps, whatever the input (JSON Schema patterns are not
// anchored by themselves: an unanchored one is retried at every position, so it goes to RE2). Those
// run on V8's own engine, which answers such a pattern in tens of nanoseconds where a call into
// re2-wasm costs microseconds; everything else runs on RE2.
const MAX_STEPS = 4096;
const QUANTIFIER = /^\{(\d{1,4})(?:,(\d{1,4}))?\}/;

/** Whether the pattern is in the bounded class above (conservative: anything unusual is not). */
export function isBoundedPattern(pattern: string): boolean {
  if (!pattern.startsWith('^')) return false;
  let ways = 1;
  let length = 0;
  let i = 1;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '^' || c === '$') { i++; continue; }
    if ('()|*+?{}]'.includes(c)) return false;
    if (c === '\\') {
      // Plain escapes only: no backreferences, word boundaries, named groups, properties or code points.
      if (!/^[dDwWsS.\\/\-^$|?*+()[\]{}nrtf]$/.test(pattern[i + 1] ?? '')) return false;
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      for (; j < pattern.length && pattern[j] !== ']'; j++) {
        if (pattern[j] === '[') return false;
        if (pattern[j] === '\\') {
          if (!/^[dDwWsS.\\/\-^$|?*+()[\]{}nrtf]$/.test(pattern[j + 1] ?? '')) return false;
          j++;
        }
      }
      if (j >= pattern.length || j === i + 1) return false;
      i = j + 1;
    } else {
      i++;
    }
    let min = 1;
    let max = 1;
    const q = pattern[i];
    if (q === '*' || q === '+') return false;
    if (q === '?') {
      min = 0;
      i++;
    } else if (q === '{') {
      const m = QUANTIFIER.exec(pattern.slice(i));
      if (!m) return false; // {n,} is unbounded; anything else is not a quantifier we know
      min = Number(m[1]);
      max = m[2] === undefined ? min : Number(m[2]);
      if (max < min) return false;
      i += m[0].length;
    }
    if (pattern[i] === '?' || pattern[i] === '*' || pattern[i] === '+' || pattern[i] === '{') return false;
    ways *= max - min + 1;
    length += max;
    if (ways * Math.max(length, 1) > MAX_STEPS) return false;
  }
  return true;
}

/** V8's engine for a bounded pattern it accepts, else RE2. */
function engineFor(pattern: string): { test(s: string): boolean } {
  if (isBoundedPattern(pattern)) {
    try {
      return new RegExp(pattern, 'u');
    } catch {
      // V8 refuses what RE2 may accept (or the reverse): RE2 decides.
    }
  }
  return new RE2(pattern, 'u');
}

/**
 * Ajv's `code.regExp` engine. re2-wasm only works in Unicode mode, which is also what Ajv asks
 * for by default (`unicodeRegExp: true`), so the flag is forced to 'u' either way.
 */
export const re2RegExp = Object.assign((pattern: string, _flags: string) => engineFor(pattern), {
  // Only used by Ajv's standalone code generation, which the exchange does not use.
  code: 'new (require("re2-wasm").RE2)',
});

/** The reason RE2 cannot compile a pattern, or undefined when it can. */
export function re2Refusal(pattern: string): string | undefined {
  try {
    new RE2(pattern, 'u');
    return undefined;
  } catch (err) {
    // re2-wasm's message is "Invalid regular expression: /…/u: <reason>"; keep the reason.
    const message = err instanceof Error ? err.message : String(err);
    const at = message.lastIndexOf('/u: ');
    return at >= 0 ? message.slice(at + 4) : 'not a valid pattern';
  }
}

export function re2(pattern: string): RE2 {
  return new RE2(pattern, 'u');
}
