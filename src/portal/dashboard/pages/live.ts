// Live traffic for the overview: today's counts read from the day rollups (the record writer adds to
// them with every committed batch, so they are current to about a second), sampled at most once per
// SAMPLE_MS whatever the number of viewers, and the last samples kept in memory to draw the rate of
// inquiries per minute over the last minutes. Nothing is read while nobody looks; a reading is one
// indexed range of day rows.
import { formatInstant, formatJalali, instantToJalali } from '../../../dates/jalali.ts';
import type { StatsQueries } from '../../../oversight/rollup-reader.ts';
import { chartOption, digits, num, pct, type Lang } from './format.ts';

export const SAMPLE_MS = 5_000;
/** Ten minutes of samples at most. */
const KEEP_MS = 10 * 60_000;

export interface LiveReading { at: number; today: string; count: number; answered: number; refused: number; failed: number; successRate: number | null }

export class LiveSampler {
  private readonly samples: LiveReading[] = [];
  /** A reading being taken: viewers asking meanwhile share it. */
  private taking: Promise<LiveReading> | undefined;

  constructor(private readonly stats: StatsQueries) {}

  /** The newest reading, taken now if the last one is older than SAMPLE_MS. */
  read(now: number): Promise<LiveReading> {
    const last = this.samples[this.samples.length - 1];
    if (last && now - last.at < SAMPLE_MS && now >= last.at) return Promise.resolve(last);
    this.taking ??= this.take(now).finally(() => { this.taking = undefined; });
    return this.taking;
  }

  private async take(now: number): Promise<LiveReading> {
    const day = instantToJalali(new Date(now));
    const t = (await this.stats.query({ from: day, to: day, by: 'year', compare: false })).total;
    const r = { at: now, today: formatJalali(day), count: t.count, answered: t.answered, refused: t.refused, failed: t.providerFailed + t.exchangeFailed, successRate: t.successRate };
    this.samples.push(r);
    while (this.samples.length > 0 && now - this.samples[0]!.at > KEEP_MS) this.samples.shift();
    return r;
  }

  /** Inquiries per minute between consecutive samples (a new day starts its count again). */
  rates(): { at: number; perMinute: number }[] {
    const out: { at: number; perMinute: number }[] = [];
    for (let i = 1; i < this.samples.length; i++) {
      const a = this.samples[i - 1]!;
      const b = this.samples[i]!;
      const delta = b.today === a.today ? b.count - a.count : b.count;
      const minutes = (b.at - a.at) / 60_000;
      if (minutes > 0) out.push({ at: b.at, perMinute: Math.max(0, delta) / minutes });
    }
    return out;
  }
}

export const LIVE_IDS = { chart: 'live-chart', count: 'live-count', answered: 'live-answered', refused: 'live-refused', failed: 'live-failed', success: 'live-success', at: 'live-at' } as const;

/** The chart's option: the rate per minute over the last minutes, Tehran's clock on the axis. */
export function liveOption(lang: Lang, rates: readonly { at: number; perMinute: number }[]): object {
  const name = lang === 'fa' ? 'استعلام در دقیقه' : 'Inquiries per minute';
  return chartOption({
    id: LIVE_IDS.chart, kind: 'line', title: name,
    labels: rates.map((r) => formatInstant(new Date(r.at), { digits: lang === 'fa' ? 'persian' : 'latin' }).slice(11)),
    series: [{ name, values: rates.map((r) => Math.round(r.perMinute * 10) / 10) }],
  });
}

/** The texts the client script puts in place, by element id. */
export function liveTexts(lang: Lang, r: LiveReading): Record<string, string> {
  return {
    [LIVE_IDS.count]: num(lang, r.count), [LIVE_IDS.answered]: num(lang, r.answered), [LIVE_IDS.refused]: num(lang, r.refused),
    [LIVE_IDS.failed]: num(lang, r.failed), [LIVE_IDS.success]: pct(lang, r.successRate),
    [LIVE_IDS.at]: digits(lang, formatInstant(new Date(r.at), { digits: 'latin' }).slice(11)),
  };
}
