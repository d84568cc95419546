// `scenario history`: the statistics of Jalali years 1392 to 1399 as Iran's 1399 report gives them
// (history-plan.ts), written into a data directory's records.db, so that `tabadol stats` and
// `tabadol report` read eight years of a national exchange.
//
// Two kinds of rows, with the same keys, labels and schema as the record writer's:
// - SYNTHETIC day and month rollup rows (no hour rows), written directly: each year's total split
//   over the keys (history-keys.ts), each key's year over the days, each day's count over the latency
//   buckets, all by exact rounding (history-rounding.ts), so every figure adds up to the unit;
// - RAW records of 1399 (`records`, ten million by default), written through the real ChainWriter on
//   a chain of their own (`history/1399`) and signed with the node's own key, so that `audit verify`
//   (which trusts the node's public key) checks them, the data tracker finds them by the node's
//   subject key, and their rollups (hour, day and month) come from the real writer. They are drawn
//   out of the synthetic 1399 counts (a thinning of each key's day and latency bucket), and the
//   synthetic rows carry only the rest: the year's totals stay exactly the report's.
//
// The history is written once: a records database that already holds statistics of 1392–1399 (or the
// history's chain) is refused, since writing again would count everything twice.
import { hash } from 'node:crypto';
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { addJalaliDays, parseJalali, startOfJalaliDay } from '../../dates/jalali.ts';
import { Errors, fail } from '../../errors/catalogue.ts';
import { subjectHash } from '../../identifiers/subject-hash.ts';
import { loadOrCreateNodeKeys } from '../../keys/node-keys.ts';
import { bucketLowerUs, bucketOf, BUCKETS } from '../../oversight/latency-buckets.ts';
import { COUNTER_COLUMNS, createRollupTables, rollupTable } from '../../oversight/rollup-tables.ts';
import { ChainWriter } from '../../records/chain-writer.ts';
import { openRecordStore, recordsFile } from '../../records/record-store.ts';
import { derivedNationalCode, hash32, mulberry32, type Rng } from '../agencies/random.ts';
import { DEMO_CITIZEN } from '../agencies/synthetic.ts';
import { bucketShares, historyCatalogue, type HistoryCatalogue, type HistoryKey } from './history-keys.ts';
import { FIRST_HISTORY_YEAR, HISTORY_YEARS, HOUR_WEIGHTS, historyDays, LAST_HISTORY_YEAR, scaledInquiries, yearGrowth, type HistoryDay } from './history-plan.ts';
import { splitTotal } from './history-rounding.ts';
import type { Scenario } from './scenario.ts';

export const HISTORY_CHAIN = `history/${LAST_HISTORY_YEAR}`;
export const DEFAULT_HISTORY_RECORDS = 10_000_000;

export type HistoryPhase = 'rollups' | 'records';

export interface HistoryOptions {
  dataDir: string;
  instance: string;
  scenario: Scenario;
  /** Raw records over the last year. */
  records: number;
  /** Multiplies every year's inquiries (tests write a small history of the same shape); 1 by default. */
  scale?: number;
  /** Days of rollups written (phase 'rollups'), then raw records written (phase 'records'). */
  onProgress?: (phase: HistoryPhase, done: number, total: number) => void;
}

export interface HistorySummary {
  years: { year: number; inquiries: number; providers: number; services: number }[];
  rawRecords: number;
  chainId: string;
  keys: number;
  /** Rollup rows written directly (the raw records' own are the writer's). */
  rows: { day: number; month: number };
  /** records.db and its write-ahead log after the run. */
  bytes: number;
  seconds: number;
}

const PROVIDER_SHARE = 0.85; // of an exchange's time spent at the provider (the rest is the exchange's)
const BATCH = 2000;
const SUBJECTS = 200_000;
/** Refusals never reach a provider: the exchange answers them in about a millisecond. */
const REFUSAL_BUCKETS = bucketShares(1.5);
const PHI = (Math.sqrt(5) - 1) / 2;
const SQRT2_FRAC = Math.SQRT2 - 1;

/** A duration (µs) inside bucket b of the rollups. */
function durationIn(b: number, rng: Rng): number {
  const lo = b === 0 ? 40 : bucketLowerUs(b);
  const hi = b === BUCKETS - 1 ? lo * 1.5 : bucketLowerUs(b + 1);
  let d = Math.floor(lo + rng() * (hi - lo));
  while (bucketOf(d) < b) d++;
  while (bucketOf(d) > b) d--;
  return d;
}

/** The representative duration (µs) of bucket b: its geometric middle. */
const MIDDLE_US = Array.from({ length: BUCKETS }, (_, b) =>
  b === 0 ? 70 : b === BUCKETS - 1 ? Math.round(bucketLowerUs(b) * 1.2) : Math.round(Math.sqrt(bucketLowerUs(b) * bucketLowerUs(b + 1))));

function refuseIfWritten(db: Database.Database): void {
  const rows = db.prepare(`select 1 from ${rollupTable('month')} where period between ? and ? limit 1`).get(`${FIRST_HISTORY_YEAR}/01`, `${LAST_HISTORY_YEAR}/12`);
  const chain = db.prepare('select 1 from records where chain_id = ? limit 1').get(HISTORY_CHAIN);
  if (rows || chain) {
    fail(Errors.AlreadyExists, `this data directory's records.db already holds statistics of ${FIRST_HISTORY_YEAR}–${LAST_HISTORY_YEAR} `
      + '(a history was written, or began to be): writing it again would count them twice; use a fresh data directory');
  }
}

function checkOptions(o: HistoryOptions, scale: number): void {
  if (!(scale > 0 && scale <= 1)) fail(Errors.InvalidInput, `--scale must be above 0 and at most 1, got ${scale}`);
  for (const y of HISTORY_YEARS) {
    if (scaledInquiries(y, scale) < y.services) {
      fail(Errors.InvalidInput, `at scale ${scale}, ${y.year} would have fewer inquiries than its ${y.services} services: use a larger --scale`);
    }
  }
  const last = scaledInquiries(HISTORY_YEARS[HISTORY_YEARS.length - 1]!, scale);
  if (!Number.isInteger(o.records) || o.records < 0 || o.records > last) {
    fail(Errors.InvalidInput, `--records must be a whole number from 0 to ${last} (the last year's inquiries at this scale), got ${o.records}`);
  }
}

/** A year's inquiries split over the keys of its services; every service of the year gets at least one. */
function yearCounts(cat: HistoryCatalogue, yearIndex: number, total: number): Float64Array {
  const active = cat.active[yearIndex]!;
  const weights = cat.keys.map((k) => (active.has(k.serviceIndex) ? k.weight : 0));
  const counts = new Float64Array(cat.keys.length);
  splitTotal(total, weights, (yearIndex * PHI) % 1, counts);
  const perService = new Float64Array(cat.services.length);
  cat.keys.forEach((k, i) => { perService[k.serviceIndex]! += counts[i]!; });
  // Only at small scales can a service get nothing: it takes one inquiry from the largest key of a
  // service that has two or more.
  for (const si of active) {
    if (perService[si]! > 0) continue;
    let donor = -1;
    counts.forEach((c, i) => {
      if (c > 0 && perService[cat.keys[i]!.serviceIndex]! >= 2 && (donor < 0 || c > counts[donor]!)) donor = i;
    });
    counts[donor]! -= 1;
    perService[cat.keys[donor]!.serviceIndex]! -= 1;
    counts[cat.services[si]!.keys[0]!]! += 1;
    perService[si] = 1;
  }
  return counts;
}

/** Each key's year over the days: matrix[d · keys + k]. */
function spreadOverDays(counts: Float64Array, days: readonly HistoryDay[]): Float64Array {
  const K = counts.length;
  const matrix = new Float64Array(days.length * K);
  const weights = days.map((d) => d.weight);
  const part = new Float64Array(days.length);
  for (let k = 0; k < K; k++) {
    if (counts[k] === 0) continue;
    splitTotal(counts[k]!, weights, ((k + 1) * PHI) % 1, part);
    for (let d = 0; d < days.length; d++) matrix[d * K + k] = part[d]!;
  }
  return matrix;
}

/** `n` raw records drawn out of the matrix, never more than a cell holds. */
function thin(matrix: Float64Array, n: number): Float64Array {
  const raw = new Float64Array(matrix.length);
  splitTotal(n, matrix, 0.5, raw);
  let left = 0;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]! > matrix[i]!) {
      left += raw[i]! - matrix[i]!;
      raw[i] = matrix[i]!;
    }
  }
  for (let i = 0; left > 0 && i < raw.length; i++) {
    const room = Math.min(left, matrix[i]! - raw[i]!);
    raw[i]! += room;
    left -= room;
  }
  return raw;
}

class RowWriter {
  dayRows = 0;
  monthRows = 0;
  private readonly upsert: Record<'day' | 'month', Database.Statement>;

  constructor(db: Database.Database) {
    const cols = ['period', 'key_id', ...COUNTER_COLUMNS];
    const stmt = (grain: 'day' | 'month') => db.prepare(`insert into ${rollupTable(grain)} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})
      on conflict (period, key_id) do update set ${COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`);
    this.upsert = { day: stmt('day'), month: stmt('month') };
  }

  write(grain: 'day' | 'month', period: string, keyId: number, counters: ArrayLike<number>): void {
    this.upsert[grain].run(period, keyId, ...Array.from(counters));
    if (grain === 'day') this.dayRows++;
    else this.monthRows++;
  }
}

interface RawDraw { key: number; bucket: number; count: number }

/** Who asks, for the records' user and purpose headers (synthetic, as the consumer would send them). */
function callerOf(client: string): { user: string; issue: string } {
  const member = client.split('/')[2] ?? '';
  if (member === 'JUDICIARY') return { user: 'judge', issue: 'case' };
  if (member === 'POLICE') return { user: 'officer', issue: 'file' };
  if (member === 'SAMAN' || member === 'PASARGAD') return { user: 'teller', issue: 'kyc' };
  if (member === 'INTA') return { user: 'auditor', issue: 'audit' };
  return { user: 'clerk', issue: 'request' };
}

export async function writeHistory(o: HistoryOptions): Promise<HistorySummary> {
  const started = performance.now();
  const scale = o.scale ?? 1;
  checkOptions(o, scale);
  const file = recordsFile(o.dataDir);
  const nodeKeys = await loadOrCreateNodeKeys(o.dataDir);
  const db = openRecordStore(file, 'normal');
  let writer: ChainWriter | undefined;
  try {
    createRollupTables(db);
    refuseIfWritten(db);
    const cat = historyCatalogue(o.scenario, o.instance);
    const keyIds = insertKeys(db, cat.keys);
    const rows = new RowWriter(db);
    const summary: HistorySummary['years'] = [];
    const totalDays = HISTORY_YEARS.filter((y) => scaledInquiries(y, scale) > 0).reduce((n, y) => n + historyDays(y.year, 1).length, 0);
    let daysDone = 0;
    const K = cat.keys.length;
    const tHist = new Float64Array(BUCKETS);
    const rHist = new Float64Array(BUCKETS);
    const counters = new Float64Array(COUNTER_COLUMNS.length);

    for (let yi = 0; yi < HISTORY_YEARS.length; yi++) {
      const y = HISTORY_YEARS[yi]!;
      const total = scaledInquiries(y, scale);
      summary.push({ year: y.year, inquiries: total, providers: y.providers, services: y.services });
      if (total === 0) continue;
      const days = historyDays(y.year, yearGrowth(yi));
      const matrix = spreadOverDays(yearCounts(cat, yi, total), days);
      const isLast = y.year === LAST_HISTORY_YEAR;
      const raw = isLast && o.records > 0 ? thin(matrix, o.records) : undefined;
      if (raw && !writer) {
        writer = new ChainWriter(db, {
          chainId: HISTORY_CHAIN,
          signingKeyPem: nodeKeys.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          checkpointIntervalMs: 1000,
        });
      }
      const raws = raw ? new RawRecords(o, cat, nodeKeys.subjectKey) : undefined;

      for (let month = 1; month <= 12; month++) {
        const monthDays = days.map((d, i) => ({ d, i })).filter(({ d }) => d.month === month);
        const monthSums = new Float64Array(K * COUNTER_COLUMNS.length);
        const draws: RawDraw[][] = [];
        db.transaction(() => {
          for (const { d, i } of monthDays) {
            const dayDraws: RawDraw[] = [];
            for (let k = 0; k < K; k++) {
              const t = matrix[i * K + k]!;
              if (t === 0) continue;
              const key = cat.keys[k]!;
              const svc = cat.services[key.serviceIndex]!;
              const refused = key.errorType !== '';
              splitTotal(t, refused ? REFUSAL_BUCKETS : svc.buckets, ((k + 1) * PHI + (i + 1) * SQRT2_FRAC) % 1, tHist);
              const r = raw?.[i * K + k] ?? 0;
              if (r > 0) {
                splitTotal(r, tHist, ((k + 1) * SQRT2_FRAC + (i + 1) * PHI) % 1, rHist);
                for (let b = 0; b < BUCKETS; b++) {
                  const taken = Math.min(rHist[b]!, tHist[b]!);
                  if (taken > 0) dayDraws.push({ key: k, bucket: b, count: taken });
                  tHist[b]! -= taken;
                }
              }
              const n = t - r;
              if (n === 0) continue;
              let duration = 0;
              for (let b = 0; b < BUCKETS; b++) duration += tHist[b]! * MIDDLE_US[b]!;
              counters[0] = n;
              counters[1] = duration;
              counters[2] = refused ? 0 : Math.round(duration * PROVIDER_SHARE);
              counters[3] = n * svc.requestBytes;
              counters[4] = n * (key.status === 200 ? svc.responseBytes : 120);
              counters.set(tHist, 5);
              rows.write('day', d.label, keyIds[k]!, counters);
              const at = k * COUNTER_COLUMNS.length;
              for (let c = 0; c < COUNTER_COLUMNS.length; c++) monthSums[at + c]! += counters[c]!;
            }
            draws.push(dayDraws);
          }
          const label = `${y.year}/${String(month).padStart(2, '0')}`;
          for (let k = 0; k < K; k++) {
            const at = k * COUNTER_COLUMNS.length;
            if (monthSums[at] === 0) continue;
            rows.write('month', label, keyIds[k]!, monthSums.subarray(at, at + COUNTER_COLUMNS.length));
          }
        })();
        daysDone += monthDays.length;
        o.onProgress?.('rollups', daysDone, totalDays);
        if (raws && writer) {
          for (let j = 0; j < monthDays.length; j++) await raws.writeDay(writer, monthDays[j]!.d, draws[j]!);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    if (writer) {
      writer.checkpointNow();
      writer.stop();
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    const bytes = [file, `${file}-wal`].reduce((n, f) => n + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
    return {
      years: summary, rawRecords: o.records, chainId: HISTORY_CHAIN, keys: K, rows: { day: rows.dayRows, month: rows.monthRows },
      bytes, seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    };
  } finally {
    writer?.stop();
    db.close();
  }
}

function insertKeys(db: Database.Database, keys: readonly HistoryKey[]): number[] {
  const insert = db.prepare('insert into rollup_keys (client, service, endpoint, status, error_type) values (?, ?, ?, ?, ?) on conflict do nothing');
  const find = db.prepare('select id from rollup_keys where client = ? and service = ? and endpoint = ? and status = ? and error_type = ?').pluck();
  return db.transaction(() => keys.map((k) => {
    const parts = [k.client, k.service, k.endpoint, k.status, k.errorType] as const;
    insert.run(...parts);
    return find.get(...parts) as number;
  }))();
}

/** The raw records of one day: real records of synthetic exchanges, in time order, through the chain writer. */
class RawRecords {
  private written = 0;
  private readonly subjects: string[];
  private readonly hourCumulative: number[];

  constructor(private readonly o: HistoryOptions, private readonly cat: HistoryCatalogue, subjectKey: Buffer) {
    // Citizens asked about: a synthetic population, the demo citizen among them, hashed with the
    // node's subject key as the data plane hashes them, so the data tracker finds them.
    this.subjects = Array.from({ length: SUBJECTS }, (_, i) =>
      subjectHash(subjectKey, i === 0 ? DEMO_CITIZEN.nationalCode : derivedNationalCode('history', 'subject', String(i))));
    let acc = 0;
    const sum = HOUR_WEIGHTS.reduce((a, b) => a + b, 0);
    this.hourCumulative = HOUR_WEIGHTS.map((w) => (acc += w / sum));
  }

  async writeDay(writer: ChainWriter, day: HistoryDay, draws: readonly RawDraw[]): Promise<void> {
    if (draws.length === 0) return;
    const date = parseJalali(day.label);
    const start = startOfJalaliDay(date).getTime();
    const length = startOfJalaliDay(addJalaliDays(date, 1)).getTime() - start;
    const rng = mulberry32(hash32(`history\u0000${day.label}`));
    const drafts: { at: number; key: number; duration: number }[] = [];
    for (const d of draws) {
      for (let j = 0; j < d.count; j++) {
        const u = rng();
        const hour = this.hourCumulative.findIndex((c) => u < c);
        const offset = Math.min(length - 1, Math.floor(((hour < 0 ? 23 : hour) + rng()) * 3_600_000));
        drafts.push({ at: start + offset, key: d.key, duration: durationIn(d.bucket, rng) });
      }
    }
    drafts.sort((a, b) => a.at - b.at);
    for (let from = 0; from < drafts.length; from += BATCH) {
      writer.append(drafts.slice(from, from + BATCH).map((r) => this.row(r.at, this.cat.keys[r.key]!, r.duration, rng)));
      this.written += Math.min(BATCH, drafts.length - from);
      this.o.onProgress?.('records', this.written, this.o.records);
      // Lets the progress bar and the writer's checkpoint timer run.
      if ((from / BATCH) % 10 === 9) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** One record's row as the chain writer takes it (RECORD_FIELDS order, as JSON text). */
  private row(at: number, key: HistoryKey, durationUs: number, rng: Rng): string {
    const svc = this.cat.services[key.serviceIndex]!;
    const xroadId = `${this.o.instance}-${randomUUID()}`;
    const requestId = randomUUID();
    const caller = callerOf(key.client);
    const subject = svc.subject ? this.subjects[Math.floor(rng() * this.subjects.length)]! : null;
    const answered = key.status === 200;
    return JSON.stringify([
      xroadId, requestId, key.client, key.service, key.endpoint,
      `${caller.user}-${1 + Math.floor(rng() * 5000)}`, `${caller.issue} ${LAST_HISTORY_YEAR}-${1 + Math.floor(rng() * 900_000)}`, null, subject,
      new Date(at).toISOString(), new Date(at + Math.ceil(durationUs / 1000)).toISOString(), durationUs,
      key.errorType === '' ? Math.round(durationUs * PROVIDER_SHARE) : null,
      key.status, key.errorType === '' ? null : key.errorType, svc.requestBytes, answered ? svc.responseBytes : 120,
      hash('sha512', `${xroadId}\n${requestId}`, 'base64'), hash('sha512', `${requestId}\n${key.status}`, 'base64'),
    ]);
  }
}
