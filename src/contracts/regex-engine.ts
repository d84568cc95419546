// Contract patterns (`pattern`, `patternProperties`) run on RE2, whose matching time is linear in
// the input: a pattern such as ^(a+)+$ cannot make a caller's 31-character value block the event
// loop (catastrophic backtracking, CWE-1333). RE2 has no lookarounds and no backreferences; a
// contract that uses them is refused at registration (see check-contract.ts).
import { RE2 } from 're2-wasm';

/**
 * Ajv's `code.regExp` engine. re2-wasm only works in Unicode mode, which is also what Ajv asks
 * for by default (`unicodeRegExp: true`), so the flag is forced to 'u' either way.
 */
export const re2RegExp = Object.assign((pattern: string, _flags: string) => new RE2(pattern, 'u'), {
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
