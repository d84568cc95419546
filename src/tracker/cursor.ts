// Keyset paging for the tracker: a page ends at a record, and the next page starts strictly after
// it in the list's order: time_in, then the node that recorded it, then its chain and sequence
// number, all descending. The node is part of the position because the central node's list merges
// the lists of every node (across-nodes.ts): a position names one place in that merged order, and
// each node is asked for its records strictly after it, so a page ending on one node's record
// resumes correctly on every node. Unlike offsets, nothing is skipped or shown twice when newer
// records arrive between pages: they sort before the cursor.
// The cursor is opaque to callers: base64url of [timeIn, node, chainId, seq].
import { Errors, fail } from '../errors/catalogue.ts';
import { MAX_CURSOR } from './contract.ts';

export interface Position { timeIn: string; node: string; chainId: string; seq: number }

// Records' times are written by the node as ISO 8601 UTC with milliseconds (record.ts).
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** Node ids and chain ids as the registry and the record writers make them; bounded for the cursor. */
export const MAX_NODE_ID = 64;
export const MAX_CHAIN_ID = 200;

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.timeIn, p.node, p.chainId, p.seq]), 'utf8').toString('base64url');
}

/** Whether a position is well formed (a cursor's, or one sent between nodes). */
export function isPosition(v: { timeIn?: unknown; node?: unknown; chainId?: unknown; seq?: unknown }): v is Position {
  return typeof v.timeIn === 'string' && ISO_MS.test(v.timeIn)
    && typeof v.node === 'string' && v.node.length > 0 && v.node.length <= MAX_NODE_ID
    && typeof v.chainId === 'string' && v.chainId.length > 0 && v.chainId.length <= MAX_CHAIN_ID
    && typeof v.seq === 'number' && Number.isSafeInteger(v.seq) && v.seq >= 0;
}

export function decodeCursor(text: string): Position {
  const bad = (): never => fail(Errors.TrackerInvalidInput, 'the cursor is not one this tracker gave');
  if (text.length > MAX_CURSOR || !/^[A-Za-z0-9_-]+$/.test(text)) return bad();
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return bad();
  }
  if (!Array.isArray(v)) return bad();
  // A cursor of a tracker that answered from one node only: [timeIn, chainId, seq]. Its chains are
  // named `<node>/…` (the record writers' chain ids), so the node is the chain's first part.
  const p = v.length === 4
    ? { timeIn: v[0] as unknown, node: v[1] as unknown, chainId: v[2] as unknown, seq: v[3] as unknown }
    : v.length === 3 && typeof v[1] === 'string'
      ? { timeIn: v[0] as unknown, node: v[1].split('/')[0], chainId: v[1] as unknown, seq: v[2] as unknown }
      : undefined;
  if (p === undefined || !isPosition(p)) return bad();
  return p;
}

/**
 * The merged list's order, newest first: negative when `a` comes before `b`. Strings compare by
 * code unit, which for the ASCII of timestamps, node ids and chain ids is SQLite's BINARY order,
 * the order each node's query returns.
 */
export function newestFirst(a: Position, b: Position): number {
  const cmp = (x: string, y: string) => (x < y ? 1 : x > y ? -1 : 0);
  return cmp(a.timeIn, b.timeIn) || cmp(a.node, b.node) || cmp(a.chainId, b.chainId) || (b.seq - a.seq);
}
