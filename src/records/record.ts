// What a node keeps of one exchange, and how a record is hashed into its chain.
// The endpoint is the method plus the contract's path template, never the raw path, which can
// carry personal data; the subject is a keyed hash, never the identifier itself.
import { hash } from 'node:crypto';

export interface ExchangeRecord {
  xroadId: string;
  requestId: string;
  client: string | null;
  service: string | null;
  endpoint: string | null;
  userId: string | null;
  issue: string | null;
  representedParty: string | null;
  subjectHash: string | null;
  timeIn: string; // ISO 8601 UTC, milliseconds
  timeOut: string;
  durationUs: number;
  providerUs: number | null;
  status: number;
  errorType: string | null;
  requestSize: number;
  responseSize: number;
  requestHash: string; // base64 SHA-512 of the request body
  responseHash: string; // base64 SHA-512 of the response body
  /**
   * The other node of an exchange that crossed two nodes: on the consumer's node, the node that
   * carried the provider's half; on the provider's node (chain `<node>/routed`), the node that routed
   * it here, as its node certificate proved. Null (or absent) for an exchange served by one node.
   */
  peerNode?: string | null;
}

/** Column order, shared by the writer, the store and the verifier. Appending is fine; reordering breaks old chains. */
export const RECORD_FIELDS = [
  'xroadId', 'requestId', 'client', 'service', 'endpoint', 'userId', 'issue', 'representedParty', 'subjectHash',
  'timeIn', 'timeOut', 'durationUs', 'providerUs', 'status', 'errorType', 'requestSize', 'responseSize',
  'requestHash', 'responseHash',
  // Appended later: hashed only when set (canonicalRow).
  'peerNode',
] as const satisfies readonly (keyof ExchangeRecord)[];

/** The fields of the first record format (up to responseHash), before any was appended. */
const FIRST_FORMAT_FIELDS = RECORD_FIELDS.indexOf('responseHash') + 1;

export type RecordRow = (ExchangeRecord[keyof ExchangeRecord] | null)[];

/** Every field in RECORD_FIELDS order, an absent one as null: what the store's columns hold. */
export function toRow(r: ExchangeRecord): RecordRow {
  return RECORD_FIELDS.map((f) => r[f] ?? null);
}

/**
 * The row as it is hashed: fields appended after the first format are left off the end while they
 * are null. A record that does not use them hashes exactly as it did before they existed, so chains
 * written before (and stores whose table lacks their columns) verify unchanged; once set, a field
 * is covered by the hash like any other.
 */
export function canonicalRow(row: RecordRow): RecordRow {
  let n = row.length;
  while (n > FIRST_FORMAT_FIELDS && (row[n - 1] ?? null) === null) n--;
  return n === row.length ? row : row.slice(0, n);
}

/** A canonical row as the store's insert takes it: one value per column, the appended fields it
 * left off as null. A row short of the first format stays short, and the insert refuses it. */
export function fullRow(row: RecordRow): RecordRow {
  if (row.length < FIRST_FORMAT_FIELDS || row.length >= RECORD_FIELDS.length) return row;
  return [...row, ...new Array<null>(RECORD_FIELDS.length - row.length).fill(null)];
}

/** A record as it travels to the writer and into the chain hash: its canonical row as JSON text. */
export function rowText(r: ExchangeRecord): string {
  return JSON.stringify(canonicalRow(toRow(r)));
}

export const GENESIS_HASH = Buffer.alloc(32).toString('base64');

/** hash(n) = SHA-256(chain ‖ seq ‖ hash(n-1) ‖ canonical fields as a JSON array). The chain and seq
 * are inside, so a record cannot be moved to another place or chain without breaking the link.
 * `row` as text must already be canonical (rowText makes it so). */
export function chainHash(chainId: string, seq: number, prevHash: string, row: RecordRow | string): string {
  return hash('sha256', `${chainId}\n${seq}\n${prevHash}\n${typeof row === 'string' ? row : JSON.stringify(canonicalRow(row))}`, 'base64');
}

/** The text a checkpoint signature covers. */
export function checkpointMessage(chainId: string, seq: number, headHash: string, at: string): Buffer {
  return Buffer.from(`tabadol-checkpoint/1\n${chainId}\n${seq}\n${headHash}\n${at}`);
}
