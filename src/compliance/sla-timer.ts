// Evaluation of each closed Jalali month on a timer of the node's control plane: the hour rows that
// support hours need are kept for the recent past only, so the month is judged soon after it closes
// and the result kept. The timer evaluates only services without an evaluation of the month, so a
// restart, or two timers, change nothing already found. A grace after the month's end lets the
// writer commit the month's last records (group commit: about a second).
import type { Logger } from 'pino';
import type { Registry } from '../registry/registry.ts';
import type { Compliance } from './compliance.ts';
import { lastClosedMonth, monthEnd, monthLabel } from './jalali-month.ts';
import { breachesOf } from './sla-evaluation.ts';

export const CLOSE_GRACE_MS = 10 * 60_000;
export const CHECK_INTERVAL_MS = 15 * 60_000;

/** One check: evaluates the last closed month when its grace is over. Returns the services evaluated. */
export async function evaluateClosedMonth(compliance: Compliance, registry: Registry, now: Date): Promise<string[]> {
  const month = lastClosedMonth(now);
  if (now.getTime() - monthEnd(month).getTime() < CLOSE_GRACE_MS) return [];
  const results = await compliance.evaluateMonth(registry, month, now, { missingOnly: true });
  return results.map((r) => r.serviceId);
}

/** Checks at once and then every interval; `stop` waits for a check in progress, so the database can close after it. */
export function startSlaTimer(o: { compliance: Compliance; registry: Registry; log: Logger; now: () => number; intervalMs?: number }): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    const now = new Date(o.now());
    running = evaluateClosedMonth(o.compliance, o.registry, now)
      .then((services) => {
        if (services.length === 0) return;
        const month = monthLabel(lastClosedMonth(now));
        const breaches = o.compliance.breaches.latest(month).reduce((n, r) => n + breachesOf(r).length, 0);
        o.log.info({ month, services: services.length, breaches }, 'service levels evaluated for a closed month');
      })
      .catch((e: unknown) => o.log.error({ err: e }, 'service level evaluation failed'))
      .finally(() => { running = undefined; });
  };
  tick();
  const timer = setInterval(tick, o.intervalMs ?? CHECK_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
