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
}

/** Column order, shared by the writer, the store and the verifier. Appending is fine; reordering breaks old chains. */
export const RECORD_FIELDS = [
  'xroadId', 'requestId', 'client', 'service', 'endpoint', 'userId', 'issue', 'representedParty', 'subjectHash',
  'timeIn', 'timeOut', 'durationUs', 'providerUs', 'status', 'errorType', 'requestSize', 'responseSize',
  'requestHash', 'responseHash',
] as const satisfies readonly (keyof ExchangeRecord)[];

export type RecordRow = ExchangeRecord[keyof ExchangeRecord][];

export function toRow(r: ExchangeRecord): RecordRow {
  return RECORD_FIELDS.map((f) => r[f]);
}

/** A record as it travels to the writer and into the chain hash: its row as JSON text. */
export function rowText(r: ExchangeRecord): string {
  return JSON.stringify(toRow(r));
}

export const GENESIS_HASH = Buffer.alloc(32).toString('base64');

/** hash(n) = SHA-256(chain ‖ seq ‖ hash(n-1) ‖ fields as a JSON array). The chain and seq are
 * inside, so a record cannot be moved to another place or chain without breaking the link. */
export function chainHash(chainId: string, seq: number, prevHash: string, row: RecordRow | string): string {
  return hash('sha256', `${chainId}\n${seq}\n${prevHash}\n${typeof row === 'string' ? row : JSON.stringify(row)}`, 'base64');
}

/** The text a checkpoint signature covers. */
export function checkpointMessage(chainId: string, seq: number, headHash: string, at: string): Buffer {
  return Buffer.from(`tabadol-checkpoint/1\n${chainId}\n${seq}\n${headHash}\n${at}`);
}
