// What the central node's tracker and a provincial node say to each other over the node-to-node
// port (src/node/tracker-routes.ts): the inquiry itself, and that node's page of raw rows.
//
// Besides its own page, a node sends a page of its `<node>/routed` chain: the provider halves of
// exchanges other provincial nodes routed to it (never those the centre routed: the centre holds its
// own record of each). The centre lists those only for the nodes it could not reach, which it knows
// only once every answer is in or the deadline has passed; so that one round and one deadline are
// enough, the node sends them unfiltered (at most limit + 1 more rows) and the centre filters, and
// where it filtered a page that was cut short, it ends its own page no further than that page reached
// (mergePage, `horizons`): past it, rows of that node's chain may still be missing.
//
// Why the inquiry and not a hash: every node keeps its own subject-hash key (keys/subject-hash.key),
// so a hash made at the centre finds nothing on a province. The national code therefore crosses to
// each province, over mutual TLS between node certificates, in a body (never a URL), to be hashed
// there with that node's key and to go no further: no log line, no error message, no record.
//
// Why rows and not entries: the centre names the callers and services of every node's rows from its
// own snapshot (the one the provinces run on too) and decides alone what a caller may see; a
// province leaves out officials' user ids unless the centre says the caller is the inspection
// organisation, so they do not cross when no one will be shown them.
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { MAX_LIMIT } from './contract.ts';
import { ISO_MS, MAX_CHAIN_ID, MAX_NODE_ID, newestFirst, type Position } from './cursor.ts';
import type { NodeUsageRow, RoutedUsageRow, UsageRow } from './query.ts';

export const NODE_SEARCH_PATH = '/node/v1/tracker/find-usage';
/** The inquiry is a few hundred bytes; the bound leaves room and nothing more. */
export const NODE_SEARCH_BODY_LIMIT = 2048;
/** Two pages (own and routed) of MAX_LIMIT + 1 rows each, of a few kilobytes at most each (a long X-Road-Issue the largest part). */
export const NODE_ANSWER_LIMIT = 1024 * 1024;
/** Lengths of a row's text fields as a node may send them: generous for ids, paths and a purpose. */
const MAX_TEXT = 4096;
/** The calling subsystem's id, as sent to a node (INSTANCE/CLASS/MEMBER/SUBSYSTEM, each part bounded). */
export const MAX_CALLER = 512;

/** The inquiry as the centre sends it: the national code in Latin digits, the period in UTC. */
export interface NodeSearch {
  nationalCode: string;
  fromIso: string;
  toIso: string;
  limit: number;
  after?: Position;
  /** The calling subsystem: its own inquiries of the tracker are left out, as on the centre. */
  caller: string;
  /** Whether the caller is shown officials' user ids (the inspection organisation). */
  userIds: boolean;
}

/** `routed`: absent in the answers of nodes older than it, read as none. */
export interface NodeSearchAnswer { node: string; rows: UsageRow[]; routed?: RoutedUsageRow[] }

/** A routed row as the centre keeps it: the node that recorded it and the node that routed it there. */
export type NodeRoutedRow = NodeUsageRow & { peer_node: string };

/** A node's answer as read: its own rows, and the rows of its routed chain with whether that page was full. */
export interface NodeAnswer { rows: NodeUsageRow[]; routed: NodeRoutedRow[]; routedFull: boolean }

const text = (v: unknown, nullable: boolean, max = MAX_TEXT) => (nullable && v === null) || (typeof v === 'string' && v.length <= max);

/**
 * A node's answer, taken only as far as it keeps to the inquiry: at most limit + 1 rows, each of
 * the row's shape, within the period, after the cursor and in order. Anything else is the node's
 * fault (Node.BadAnswer), and that node counts as not searched.
 */
export function readNodeAnswer(body: string, node: string, s: NodeSearch): NodeAnswer {
  const bad = (why: string) => new TabadolError(Errors.NodeBadAnswer, `node ${node}: ${why}`);
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw bad('not JSON');
  }
  const rows = (v as { rows?: unknown } | null)?.rows;
  const routed = (v as { routed?: unknown } | null)?.routed ?? [];
  if (!Array.isArray(rows)) throw bad('no rows');
  if (!Array.isArray(routed)) throw bad('routed rows not a list');
  const most = Math.min(s.limit, MAX_LIMIT) + 1;
  if (rows.length > most || routed.length > most) throw bad('more rows than asked for');
  return {
    rows: readRows(rows as Record<string, unknown>[], node, s, false, bad),
    routed: readRows(routed as Record<string, unknown>[], node, s, true, bad) as NodeRoutedRow[],
    routedFull: routed.length === most,
  };
}

function readRows(rows: Record<string, unknown>[], node: string, s: NodeSearch, routed: boolean, bad: (why: string) => TabadolError): NodeUsageRow[] {
  const out: NodeUsageRow[] = [];
  for (const r of rows) {
    const ok = r !== null && typeof r === 'object'
      && text(r.chain_id, false, MAX_CHAIN_ID) && (r.chain_id as string).length > 0
      && typeof r.seq === 'number' && Number.isSafeInteger(r.seq) && r.seq >= 0
      && text(r.request_id, false, 200)
      && text(r.client, true) && text(r.service, true) && text(r.endpoint, true) && text(r.user_id, true) && text(r.issue, true)
      && typeof r.time_in === 'string' && ISO_MS.test(r.time_in) && r.time_in >= s.fromIso && r.time_in < s.toIso
      && typeof r.status === 'number' && Number.isInteger(r.status)
      && text(r.error_type, true, 200)
      && (!routed || (text(r.peer_node, false, MAX_NODE_ID) && (r.peer_node as string).length > 0));
    if (!ok) throw bad('a row is not a record of the inquiry');
    const row: NodeUsageRow = {
      node, chain_id: r.chain_id as string, seq: r.seq as number, request_id: r.request_id as string,
      client: r.client as string | null, service: r.service as string | null, endpoint: r.endpoint as string | null,
      user_id: s.userIds ? r.user_id as string | null : null, issue: r.issue as string | null,
      time_in: r.time_in as string, status: r.status as number, error_type: r.error_type as string | null,
      ...(routed ? { peer_node: r.peer_node as string } : {}),
    };
    const prev = out[out.length - 1];
    if ((s.after && newestFirst(s.after, positionOf(row)) >= 0) || (prev && newestFirst(positionOf(prev), positionOf(row)) >= 0)) {
      throw bad('rows out of order or not after the cursor');
    }
    out.push(row);
  }
  return out;
}

export function positionOf(r: NodeUsageRow): Position {
  return { timeIn: r.time_in, node: r.node, chainId: r.chain_id, seq: r.seq };
}

/** Where the merged list goes on: the last entry's position, or a horizon (see mergePage). */
export interface MergedPage {
  /** At most `limit` rows, newest first. */
  rows: NodeUsageRow[];
  /** Where the next page starts (strictly after), or undefined when nothing follows. */
  next: Position | undefined;
}

/**
 * Every list's rows in one order, newest first, one page of at most `limit`. Each list is its
 * node's first limit + 1 rows after the cursor, so the merged first limit + 1 are exact. A list
 * filtered after it was cut (a node's routed rows, of which the centre keeps only the unreached
 * nodes') is exact only down to its last row before filtering: its `horizon`. The page then stops
 * there, and the next page starts after it, so no row of that chain beyond the horizon is skipped
 * and none is shown twice. Such a page may be short, even empty, with a next page: rows that were
 * filtered out still take the place they held.
 */
export function mergePage(lists: NodeUsageRow[][], limit: number, horizons: Position[] = []): MergedPage {
  const horizon = [...horizons].sort(newestFirst)[0];
  const all = lists.flat()
    .filter((r) => horizon === undefined || newestFirst(positionOf(r), horizon) <= 0)
    .sort((a, b) => newestFirst(positionOf(a), positionOf(b)));
  const rows = all.slice(0, limit);
  if (all.length > limit) return { rows, next: positionOf(rows[limit - 1]!) };
  return { rows, next: horizon };
}

/**
 * A node's routed rows kept: those routed by a node not reached; and its horizon when its page was
 * full. With every node reached none is kept, and no horizon cuts the page.
 */
export function routedOfUnreached(a: NodeAnswer, unreached: ReadonlySet<string>): { rows: NodeUsageRow[]; horizon: Position | undefined } {
  const last = a.routed[a.routed.length - 1];
  if (unreached.size === 0) return { rows: [], horizon: undefined };
  return { rows: a.routed.filter((r) => unreached.has(r.peer_node)), horizon: a.routedFull && last ? positionOf(last) : undefined };
}
