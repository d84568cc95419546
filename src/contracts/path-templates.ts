// Path templates (OpenAPI 3.1 §4.8.8.2 "Path Templating Matching") and which one a path matches.
//
// OpenAPI says concrete paths are matched before templated ones but leaves the rest open. The
// exchange's rule, segment by segment ('/'-separated; a {param} never spans a '/'):
//   - a segment's kind ranks literal (`admin-export`) < mixed (`{id}.json`) < bare param (`{id}`);
//   - template A is *at least as literal* as B when, at every segment, A's kind ranks no higher;
//   - when two templates of one method can match the same path, one must be at least as literal
//     as the other, and it wins. Otherwise (`/a/{x}/c` and `/a/b/{y}` both match `/a/b/c`, each is
//     more literal at one segment; or `/a/{x}` and `/a/{y}`) the contract is ambiguous and refused
//     at registration.
// The data plane tries templates in lexicographic order of their segment kinds, which puts the
// more literal of any two overlapping templates first, whatever the contract's order.

export const SegmentKind = { Literal: 0, Mixed: 1, Param: 2 } as const;
export type SegmentKind = (typeof SegmentKind)[keyof typeof SegmentKind];

export interface Segment {
  kind: SegmentKind;
  text: string; // as written in the template
  /** For mixed segments: the literal text before the first and after the last {param}. */
  prefix: string;
  suffix: string;
  regex: RegExp | undefined; // for templated segments
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function parseTemplate(template: string): Segment[] {
  return template.split('/').slice(1).map((text) => {
    const parts = text.split(/(\{[^}]+\})/);
    const params = parts.filter((p) => /^\{[^}]+\}$/.test(p)).length;
    if (params === 0) return { kind: SegmentKind.Literal, text, prefix: text, suffix: text, regex: undefined };
    const regex = new RegExp('^' + parts.map((p) => (/^\{[^}]+\}$/.test(p) ? '[^/]+' : escapeRegex(p))).join('') + '$');
    const kind = parts.length === 3 && parts[0] === '' && parts[2] === '' ? SegmentKind.Param : SegmentKind.Mixed;
    return { kind, text, prefix: parts[0]!, suffix: parts[parts.length - 1]!, regex };
  });
}

/** Negative when template a must be tried before b. */
export function compareTemplates(a: readonly Segment[], b: readonly Segment[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]!.kind - b[i]!.kind;
    if (d !== 0) return d;
  }
  return 0;
}

/** Whether some single segment can match both (conservative: true when unsure). */
function segmentsOverlap(a: Segment, b: Segment): boolean {
  if (a.kind === SegmentKind.Literal && b.kind === SegmentKind.Literal) return a.text === b.text;
  if (a.kind === SegmentKind.Literal) return b.regex!.test(a.text);
  if (b.kind === SegmentKind.Literal) return a.regex!.test(b.text);
  // Two templated segments: disjoint only when their fixed ends cannot agree.
  const compatible = (x: string, y: string, atStart: boolean) =>
    atStart ? x.startsWith(y) || y.startsWith(x) : x.endsWith(y) || y.endsWith(x);
  return compatible(a.prefix, b.prefix, true) && compatible(a.suffix, b.suffix, false);
}

export function templatesOverlap(a: readonly Segment[], b: readonly Segment[]): boolean {
  return a.length === b.length && a.every((s, i) => segmentsOverlap(s, b[i]!));
}

/** Whether a is at least as literal as b at every segment. */
function atLeastAsLiteral(a: readonly Segment[], b: readonly Segment[]): boolean {
  return a.every((s, i) => s.kind <= b[i]!.kind);
}

/** Two templates of one method that overlap with no winner under the rule above. */
export function ambiguous(a: readonly Segment[], b: readonly Segment[]): boolean {
  if (!templatesOverlap(a, b)) return false;
  const aFirst = atLeastAsLiteral(a, b);
  const bFirst = atLeastAsLiteral(b, a);
  // Neither wins, or both do (same kinds everywhere: two templates for the same paths).
  return aFirst === bFirst;
}
