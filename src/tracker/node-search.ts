// What the central node's tracker and a provincial node say to each other over the node-to-node
// port (src/node/tracker-routes.ts): the inquiry itself, and that node's page of raw rows.
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
import { ISO_MS, MAX_CHAIN_ID, newestFirst, type Position } from './cursor.ts';
import type { NodeUsageRow, UsageRow } from './query.ts';

export const NODE_SEARCH_PATH = '/node/v1/tracker/find-usage';
/** The inquiry is a few hundred bytes; the bound leaves room and nothing more. */
export const NODE_SEARCH_BODY_LIMIT = 2048;
/** A page of MAX_LIMIT + 1 rows of at most a few kilobytes each (a long X-Road-Issue the largest part). */
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

export interface NodeSearchAnswer { node: string; rows: UsageRow[] }

const text = (v: unknown, nullable: boolean, max = MAX_TEXT) => (nullable && v === null) || (typeof v === 'string' && v.length <= max);

/**
 * A node's answer, taken only as far as it keeps to the inquiry: at most limit + 1 rows, each of
 * the row's shape, within the period, after the cursor and in order. Anything else is the node's
 * fault (Node.BadAnswer), and that node counts as not searched.
 */
export function readNodeAnswer(body: string, node: string, s: NodeSearch): NodeUsageRow[] {
  const bad = (why: string) => new TabadolError(Errors.NodeBadAnswer, `node ${node}: ${why}`);
  let v: unknown;
  try {
    v = JSON.parse(body);
  } catch {
    throw bad('not JSON');
  }
  const rows = (v as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw bad('no rows');
  if (rows.length > Math.min(s.limit, MAX_LIMIT) + 1) throw bad('more rows than asked for');
  const out: NodeUsageRow[] = [];
  for (const r of rows as Record<string, unknown>[]) {
    const ok = r !== null && typeof r === 'object'
      && text(r.chain_id, false, MAX_CHAIN_ID) && (r.chain_id as string).length > 0
      && typeof r.seq === 'number' && Number.isSafeInteger(r.seq) && r.seq >= 0
      && text(r.request_id, false, 200)
      && text(r.client, true) && text(r.service, true) && text(r.endpoint, true) && text(r.user_id, true) && text(r.issue, true)
      && typeof r.time_in === 'string' && ISO_MS.test(r.time_in) && r.time_in >= s.fromIso && r.time_in < s.toIso
      && typeof r.status === 'number' && Number.isInteger(r.status)
      && text(r.error_type, true, 200);
    if (!ok) throw bad('a row is not a record of the inquiry');
    const row: NodeUsageRow = {
      node, chain_id: r.chain_id as string, seq: r.seq as number, request_id: r.request_id as string,
      client: r.client as string | null, service: r.service as string | null, endpoint: r.endpoint as string | null,
      user_id: s.userIds ? r.user_id as string | null : null, issue: r.issue as string | null,
      time_in: r.time_in as string, status: r.status as number, error_type: r.error_type as string | null,
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

/** Every node's rows in one order, newest first; at most `limit + 1` (the extra one says that more follow). */
export function mergeRows(lists: NodeUsageRow[][], limit: number): NodeUsageRow[] {
  return lists.flat().sort((a, b) => newestFirst(positionOf(a), positionOf(b))).slice(0, limit + 1);
}
