// The operator's summary of a scenario run: what was sent, answered, refused and failed (by status
// and error type), the exchanges per second reached, and the realised shares by provider and by
// consumer next to the report's.
import type { RunSummary } from './run.ts';

const pct = (x: number): string => `${(100 * x).toFixed(1).padStart(5)} %`;

const byShare = (target: Readonly<Record<string, number>>): string[] => Object.entries(target).sort((a, b) => b[1] - a[1]).map(([k]) => k);

/**
 * Realised and target share of each of `named`, then of all the others together and, indented, of
 * the largest `detail` of them — the report names three providers and lumps the rest.
 */
function shareLines(label: string, realised: Readonly<Record<string, number>>, target: Readonly<Record<string, number>>, sent: number, named: number, detail: number): string[] {
  const order = byShare(target);
  const shown = order.slice(0, named);
  const rest = order.slice(named);
  const width = Math.max(...order.slice(0, named + detail).map((k) => k.length + 2), 14);
  const line = (label: string, keys: readonly string[]): string =>
    `  ${label.padEnd(width)}  ${pct(keys.reduce((a, k) => a + (realised[k] ?? 0), 0) / sent)}  ${pct(keys.reduce((a, k) => a + (target[k] ?? 0), 0))}`;
  const lines = [`${label} (realised, report):`, ...shown.map((k) => line(k, [k]))];
  if (rest.length > 0) {
    lines.push(line(`the other ${rest.length}`, rest));
    for (const k of rest.slice(0, detail)) lines.push(line(`  ${k}`, [k]));
  }
  return lines;
}

export function formatSummary(s: RunSummary): string {
  const outcomes = Object.entries(s.outcomes).sort((a, b) => b[1] - a[1]);
  const width = Math.max(...outcomes.map(([k]) => k.length), 10);
  return [
    `Sent ${s.sent} inquiries in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.exchangesPerSecond.toFixed(0)} exchanges/s.`,
    `  answered ${s.answered}   refused ${s.refused}   failed ${s.failed}`,
    'By status and error type:',
    ...outcomes.map(([k, n]) => `  ${k.padEnd(width)}  ${String(n).padStart(7)}`),
    ...shareLines('By provider', s.byProvider, s.targetProviders, s.sent, 3, 5),
    ...shareLines('By consumer', s.byConsumer, s.targetConsumers, s.sent, 2, 6),
    '',
  ].join('\n');
}
