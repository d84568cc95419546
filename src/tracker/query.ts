// The tracker's one query over records.db: a subject's records in a period, newest first, one page
// at a time. It runs in the tracker's own thread on a read-only connection (tracker-thread.ts), so
// a slow page never holds up the data plane's event loop, and nothing here can write a record.
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

export interface UsageQuery {
  subjectHash: string;
  /** ISO 8601 UTC, inclusive. */
  fromIso: string;
  /** ISO 8601 UTC, exclusive. */
  toIso: string;
  after: Position | undefined;
  limit: number;
  /** The tracker's own service and the calling subsystem: that caller's own inquiries of the tracker are left out. */
  trackerService: string;
  caller: string;
}

/**
 * Prepared once per connection. Uses the partial index on subject_hash (record-store.ts); ISO
 * 8601 UTC text with milliseconds sorts as time does. Row values compare lexicographically
 * (SQLite ≥ 3.15), which is exactly the keyset order.
 */
export function prepareUsageQuery(db: Database.Database) {
  const statement = db.prepare<[string, string, string, number, string, string, number, string, string, number]>(`
    select chain_id, seq, request_id, client, service, endpoint, user_id, issue, time_in, status, error_type
    from records
    where subject_hash = ? and time_in >= ? and time_in < ?
      and (? = 0 or (time_in, chain_id, seq) < (?, ?, ?))
      and not (service is ? and client is ?)
    order by time_in desc, chain_id desc, seq desc
    limit ?`);
  /** Up to `limit + 1` rows: the extra one says whether another page follows. */
  return (q: UsageQuery): UsageRow[] => statement.all(
    q.subjectHash, q.fromIso, q.toIso,
    q.after ? 1 : 0, q.after?.timeIn ?? '', q.after?.chainId ?? '', q.after?.seq ?? 0,
    q.trackerService, q.caller, q.limit + 1,
  ) as UsageRow[];
}
