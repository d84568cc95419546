// The tables of one Jalali month's open data: inquiries per provider subsystem, per consumer
// subsystem and per service, with their outcomes and latency, read from the rollups through the same
// StatsReader as `GET /v1/stats`, then stripped of anything that is not an organisation's identifier
// and protected against small cells (suppression.ts).
import { jalaliMonthLength } from '../dates/jalali.ts';
import type { StatsQueries } from '../oversight/rollup-reader.ts';
import type { StatsLine } from '../oversight/stats.ts';
import type { Registry } from '../registry/registry.ts';
import { cell, protect, suppressSmallRow, THRESHOLD, type Cell, type Relation } from './suppression.ts';

export const TABLES = ['providers', 'consumers', 'services'] as const;
export type TableName = (typeof TABLES)[number];

export const COUNT_FIELDS = ['inquiries', 'answered', 'refused', 'failed'] as const;
export type CountField = (typeof COUNT_FIELDS)[number];

/** Stands for every caller or service the registry does not hold (see `keyOf`). */
export const OTHER = 'other';

export interface OpenRow {
  /** A registered subsystem or service identifier, or OTHER. */
  key: string;
  /** Services only: the title the registry gives the service. */
  title: string | null;
  /** Services only: the provider subsystem. */
  provider: string | null;
  agency: string | null;
  agencyNameFa: string | null;
  agencyNameEn: string | null;
  cells: Record<CountField, Cell>;
  p50Ms: number | null;
  p95Ms: number | null;
}

/** What the registry holds now: the only source of names, and of which identifiers may be shown. */
export interface Names {
  member(id: string): { name: string; nameFa: string | null } | undefined;
  subsystem(id: string): boolean;
  service(id: string): { title: string } | undefined;
}

export async function registryNames(registry: Registry): Promise<Names> {
  const [members, subsystems, services] = await Promise.all([registry.listMembers(), registry.listSubsystems(), registry.listServices()]);
  const m = new Map(members.map((r) => [r.id, { name: r.name, nameFa: r.name_fa }]));
  const sub = new Set(subsystems.map((r) => r.id));
  const svc = new Map(services.map((r) => [r.id, { title: r.title }]));
  return { member: (id) => m.get(id), subsystem: (id) => sub.has(id), service: (id) => svc.get(id) };
}

const memberOf = (id: string) => id.split('/').slice(0, 3).join('/');
const subsystemOf = (serviceId: string) => serviceId.split('/').slice(0, 4).join('/');
const BY = { providers: 'provider', consumers: 'consumer', services: 'service' } as const;
/** Microseconds are the resolution of the rollups; more digits would be noise. */
const round3 = (ms: number | null) => (ms === null ? null : Math.round(ms * 1000) / 1000);

/**
 * Only identifiers the registry holds are published. A record keeps the service a caller asked for
 * and the client it named even when the exchange refused them as unknown: those are the caller's
 * own text (an identifier part may be a national code), so they are counted under OTHER, never shown.
 */
function keyOf(table: TableName, key: string, names: Names): string {
  if (key === '') return OTHER;
  return (table === 'services' ? names.service(key) !== undefined : names.subsystem(key)) ? key : OTHER;
}

interface Acc { count: number; answered: number; refused: number; failed: number; lines: StatsLine[] }

export async function monthTables(reader: StatsQueries, year: number, month: number, names: Names): Promise<Record<TableName, OpenRow[]>> {
  const from = { year, month, day: 1 };
  const to = { year, month, day: jalaliMonthLength(year, month) };
  const tables = {} as Record<TableName, OpenRow[]>;
  for (const table of TABLES) {
    const groups = new Map<string, Acc>();
    for (const l of (await reader.query({ from, to, by: BY[table], compare: false })).lines) {
      const key = keyOf(table, l.key, names);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { count: 0, answered: 0, refused: 0, failed: 0, lines: [] }));
      g.count += l.count;
      g.answered += l.answered;
      g.refused += l.refused;
      g.failed += l.providerFailed + l.exchangeFailed;
      g.lines.push(l);
    }
    tables[table] = [...groups].map(([key, g]) => row(table, key, g, names))
      // Identifier order, never size order: a rank would tell how withheld rows compare.
      .sort((a, b) => Number(a.key === OTHER) - Number(b.key === OTHER) || a.key.localeCompare(b.key));
  }
  protectTables(tables);
  for (const rows of Object.values(tables)) {
    for (const r of rows) {
      if (r.cells.inquiries.value < THRESHOLD) r.p50Ms = r.p95Ms = null;
    }
  }
  return tables;
}

function row(table: TableName, key: string, g: Acc, names: Names): OpenRow {
  const provider = table === 'services' && key !== OTHER ? subsystemOf(key) : null;
  const agency = key === OTHER ? null : memberOf(key);
  const member = agency === null ? undefined : names.member(agency);
  // Percentiles do not add up: a row merged from several keys has none (its counts still add).
  const only = g.lines.length === 1 ? g.lines[0]! : undefined;
  const cells = { inquiries: cell(g.count), answered: cell(g.answered), refused: cell(g.refused), failed: cell(g.failed) };
  suppressSmallRow(cells.inquiries, [cells.answered, cells.refused, cells.failed]);
  return {
    key,
    title: table === 'services' ? names.service(key)?.title ?? null : null,
    provider,
    agency,
    agencyNameFa: member?.nameFa ?? null,
    agencyNameEn: member?.name ?? null,
    cells,
    p50Ms: round3(only?.p50Ms ?? null),
    p95Ms: round3(only?.p95Ms ?? null),
  };
}

/** The sums an adversary could subtract along (suppression.ts), across the month's three files. */
function protectTables(tables: Record<TableName, OpenRow[]>): void {
  const relations: Relation[] = [];
  for (const rows of Object.values(tables)) {
    for (const r of rows) relations.push({ total: r.cells.inquiries, parts: [r.cells.answered, r.cells.refused, r.cells.failed] });
    for (const f of COUNT_FIELDS) relations.push({ total: 'known', parts: rows.map((r) => r.cells[f]) });
  }
  for (const p of tables.providers) {
    if (p.key === OTHER) continue;
    const services = tables.services.filter((s) => s.provider === p.key);
    if (services.length === 0) continue;
    for (const f of COUNT_FIELDS) relations.push({ total: p.cells[f], parts: services.map((s) => s.cells[f]) });
  }
  protect(relations);
}
