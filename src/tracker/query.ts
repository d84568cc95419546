// The tracker's one query over records.db: a subject's records in a period, newest first, one page
// at a time. It runs on a read-only connection: in the tracker's own thread on the central node
// (tracker-thread.ts), so a slow page never holds up the data plane's event loop, and on the node
// port of a provincial node when the centre asks it (src/node/tracker-routes.ts). Nothing here can
// write a record.
import type Database from 'better-sqlite3';
import type { Position } from './cursor.ts';

export interface UsageRow {
  chain_id: string;
  seq: number;
  request_id: string;
  client: string | null;
  service: string | null;
  endpoint: string | null;
  user_id: string | null;
  issue: string | null;
  time_in: string;
  status: number;
  error_type: string | null;
}

/** A row and the node that recorded it: one item of the list merged across nodes. */
export interface NodeUsageRow extends UsageRow { node: string }

/** A row of a node's `<node>/routed` chain: the provider's half, and the node that routed it there. */
export interface RoutedUsageRow extends UsageRow { peer_node: string }

export interface UsageQuery {
  subjectHash: string;
  /** ISO 8601 UTC, inclusive. */
  fromIso: string;
  /** ISO 8601 UTC, exclusive. */
  toIso: string;
  /** The node this store is of: its place in the merged order (cursor.ts). */
  nodeId: string;
  after: Position | undefined;
  limit: number;
  /** The tracker's own service and the calling subsystem: that caller's own inquiries of the tracker are left out. */
  trackerService: string;
  caller: string;
  /**
   * A chain left out, or null: when the list is merged across nodes, each node leaves out its
   * `<node>/routed` chain, the provider halves of exchanges other nodes routed to it. The consumer's
   * node keeps its own record of each of them, with the same request id; listing both would show one
   * inquiry twice. Those of a consumer's node that could not be searched come from prepareRoutedQuery.
   */
  leaveOutChain: string | null;
}

/**
 * Prepared once per connection. Uses the partial index on subject_hash (record-store.ts); ISO
 * 8601 UTC text with milliseconds sorts as time does. Row values compare lexicographically
 * (SQLite ≥ 3.15), which is exactly the keyset order; this node's id stands in the row at the
 * node's place in the merged order.
 */
export function prepareUsageQuery(db: Database.Database) {
  const statement = db.prepare<[string, string, string, number, string, string, string, string, number, string, string, string | null, number]>(`
    select chain_id, seq, request_id, client, service, endpoint, user_id, issue, time_in, status, error_type
    from records
    where subject_hash = ? and time_in >= ? and time_in < ?
      and (? = 0 or (time_in, ?, chain_id, seq) < (?, ?, ?, ?))
      and not (service is ? and client is ?)
      and chain_id is not ?
    order by time_in desc, chain_id desc, seq desc
    limit ?`);
  /** Up to `limit + 1` rows: the extra one says whether another page follows. */
  return (q: UsageQuery): UsageRow[] => statement.all(
    q.subjectHash, q.fromIso, q.toIso,
    q.after ? 1 : 0, q.nodeId, q.after?.timeIn ?? '', q.after?.node ?? '', q.after?.chainId ?? '', q.after?.seq ?? 0,
    q.trackerService, q.caller, q.leaveOutChain, q.limit + 1,
  ) as UsageRow[];
}

/**
 * Which routing nodes' records of the `<node>/routed` chain to read: those of the named nodes
 * (the central node, once it knows which nodes it could not reach), or of every node but the named
 * ones (a provincial node, which does not know that yet: the centre picks from what it sends).
 */
export type RoutedBy = { only: readonly string[] } | { except: readonly string[] };

export interface RoutedQuery extends Omit<UsageQuery, 'leaveOutChain'> {
  /** This node's `<node>/routed` chain. */
  routedChainId: string;
  routedBy: RoutedBy;
}

/**
 * The provider halves recorded here of a subject's exchanges, for the list merged across nodes when
 * the asking agency's node could not be searched: its own record of them is out of reach, so this
 * node's is listed instead (once: the asking node's record is not in the answer). The same order,
 * keyset and bounds as the main query; the node list travels as one JSON array (json_each), so the
 * statement is prepared once. `peer_node` exists in every store a writer of this version has opened
 * (record-store.ts adds appended columns); the node port's routed-chain writer opens it at start.
 */
export function prepareRoutedQuery(db: Database.Database) {
  const statement = db.prepare<[string, string, string, number, string, string, string, string, number, string, string, string, number, string, number]>(`
    select chain_id, seq, request_id, client, service, endpoint, user_id, issue, time_in, status, error_type, peer_node
    from records
    where subject_hash = ? and time_in >= ? and time_in < ?
      and (? = 0 or (time_in, ?, chain_id, seq) < (?, ?, ?, ?))
      and not (service is ? and client is ?)
      and chain_id = ?
      and peer_node is not null
      and ? = (peer_node in (select value from json_each(?)))
    order by time_in desc, chain_id desc, seq desc
    limit ?`);
  /** Up to `limit + 1` rows, as prepareUsageQuery's. */
  return (q: RoutedQuery): RoutedUsageRow[] => statement.all(
    q.subjectHash, q.fromIso, q.toIso,
    q.after ? 1 : 0, q.nodeId, q.after?.timeIn ?? '', q.after?.node ?? '', q.after?.chainId ?? '', q.after?.seq ?? 0,
    q.trackerService, q.caller, q.routedChainId,
    'only' in q.routedBy ? 1 : 0, JSON.stringify('only' in q.routedBy ? q.routedBy.only : q.routedBy.except), q.limit + 1,
  ) as RoutedUsageRow[];
}
