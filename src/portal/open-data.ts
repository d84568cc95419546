// The open data a node publishes: for each complete Jalali month with traffic, three tables as CSV and
// JSON, and the catalogue that lists them. A month is published once it has ended (plus a grace for
// exchanges still in flight at midnight, whose records are counted by the hour they started), computed
// once from the rollups and kept in memory: its figures do not change after it ends. Requests are
// answered from memory only; the rollups are read when a month closes (checked every few minutes),
// never on a request.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { instantToJalali, startOfJalaliDay } from '../dates/jalali.ts';
import type { RollupReader } from '../oversight/rollup-reader.ts';
import type { Registry } from '../registry/registry.ts';
import { buildCatalog, datasetId, monthPath, OPEN_DATA_ROOT, type PublishedMonth } from './catalog.ts';
import { renderTable, type RenderedFile } from './open-data-files.ts';
import { monthTables, registryNames, TABLES, type TableName } from './open-data-tables.ts';

/** Exchanges last at most the request timeout (30 s by default) and are committed within about a
 * second of ending; ten minutes leaves room for both and for a slow provider's service timeout. */
export const PUBLISH_GRACE_MS = 10 * 60_000;
/** How far back a node looks for months with traffic: a century, a bound on a bad first row. */
const MAX_MONTHS = 1200;

export interface ServedFile { body: Buffer; contentType: string; etag: string; cacheControl: string }

const CONTENT_TYPES = {
  // RFC 4180 §3 (header=present) and RFC 7111 §5.1 (charset).
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
} as const;

function served(body: Buffer, contentType: string, cacheControl: string): ServedFile {
  return { body, contentType, cacheControl, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
}

export interface OpenDataOptions {
  /** The rollups: each month's statistics, and the months there are (the node's reader thread). */
  reader: Pick<RollupReader, 'query' | 'rollupMonths'>;
  registry: Registry;
  instance: string;
  nodeId: string;
  now: () => number;
  log: Logger;
}

type Month = { year: number; month: number };
const index = (m: Month) => m.year * 12 + m.month - 1;
const ofIndex = (i: number): Month => ({ year: Math.floor(i / 12), month: (i % 12) + 1 });
const label = (m: Month) => `${m.year}/${String(m.month).padStart(2, '0')}`;

export class OpenData {
  private readonly files = new Map<string, ServedFile>();
  private readonly months = new Map<string, PublishedMonth>();
  private catalog: ServedFile;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly o: OpenDataOptions) {
    this.catalog = this.renderCatalog();
  }

  /** A file by its path on the portal (`/open-data/catalog.json`, `/open-data/1399/07/providers.csv`). */
  file(path: string): ServedFile | undefined {
    return path === `${OPEN_DATA_ROOT}/catalog.json` ? this.catalog : this.files.get(path);
  }

  /** Datasets in the catalogue: one per published month and table. */
  datasetCount(): number {
    return this.months.size * TABLES.length;
  }

  /** The months published, 'YYYY/MM', oldest first. */
  publishedMonths(): string[] {
    return [...this.months.keys()].sort();
  }

  /** Publishes every month that has closed since the last call; one refresh at a time. */
  refresh(): Promise<void> {
    this.running ??= this.publishDue().finally(() => { this.running = undefined; });
    return this.running;
  }

  /** Resolves once no refresh is running. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /** Stops a refresh in progress after its current month, before the database it reads closes. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.settled();
  }

  /** The last month that is over, with the grace, on Tehran's calendar. */
  private lastClosed(): Month {
    const today = instantToJalali(new Date(this.o.now() - PUBLISH_GRACE_MS));
    return ofIndex(index(today) - 1);
  }

  private async dueMonths(): Promise<Month[]> {
    const last = index(this.lastClosed());
    const due: Month[] = [];
    for (const l of await this.o.reader.rollupMonths()) {
      const m = { year: Number(l.slice(0, 4)), month: Number(l.slice(5, 7)) };
      if (index(m) <= last && index(m) >= last - MAX_MONTHS && !this.months.has(label(m))) due.push(m);
    }
    return due;
  }

  private async publishDue(): Promise<void> {
    const due = await this.dueMonths();
    if (due.length === 0 || this.stopped) return;
    const names = await registryNames(this.o.registry);
    for (const m of due) {
      if (this.stopped) break;
      const tables = await monthTables(this.o.reader, m.year, m.month, names);
      const files = {} as Record<TableName, RenderedFile[]>;
      for (const t of TABLES) {
        files[t] = renderTable(t, label(m), datasetId(this.o.instance, t, m.year, m.month), tables[t]);
        // A closed month does not change: caches may keep it for a day.
        for (const f of files[t]) this.files.set(`${monthPath(m.year, m.month)}/${f.name}`, served(f.body, CONTENT_TYPES[f.format], 'public, max-age=86400'));
      }
      const next = ofIndex(index(m) + 1);
      this.months.set(label(m), { ...m, closedAt: startOfJalaliDay({ ...next, day: 1 }), files });
      // A long first run shows its progress: the catalogue lists each year as it is ready.
      if (this.months.size % 12 === 0) this.catalog = this.renderCatalog();
      // Years of history are many months: the node's other work runs between them.
      await new Promise((r) => setImmediate(r));
    }
    this.catalog = this.renderCatalog();
    this.o.log.info({ published: this.months.size }, 'open data published');
  }

  private renderCatalog(): ServedFile {
    const months = this.publishedMonths().map((l) => this.months.get(l)!);
    const doc = buildCatalog({ instance: this.o.instance, nodeId: this.o.nodeId, months });
    return served(Buffer.from(JSON.stringify(doc, null, 1) + '\n', 'utf8'), CONTENT_TYPES.json, 'public, max-age=300');
  }
}
