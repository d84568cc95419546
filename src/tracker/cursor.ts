// Keyset paging for the tracker: a page ends at a record, and the next page starts strictly after
// it in the list's order (time_in, chain_id, seq descending). Unlike offsets, nothing is skipped or
// shown twice when newer records arrive between pages: they sort before the cursor.
// The cursor is opaque to callers: base64url of [timeIn, chainId, seq].
import { Errors, fail } from '../errors/catalogue.ts';
import { MAX_CURSOR } from './contract.ts';

export interface Position { timeIn: string; chainId: string; seq: number }

// Records' times are written by the node as ISO 8601 UTC with milliseconds (record.ts).
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(p: Position): string {
  return Buffer.from(JSON.stringify([p.timeIn, p.chainId, p.seq]), 'utf8').toString('base64url');
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
  if (!Array.isArray(v) || v.length !== 3) return bad();
  const [timeIn, chainId, seq] = v as unknown[];
  if (typeof timeIn !== 'string' || !ISO.test(timeIn)) return bad();
  if (typeof chainId !== 'string' || chainId.length === 0 || chainId.length > 200) return bad();
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) return bad();
  return { timeIn: timeIn as string, chainId: chainId as string, seq: seq as number };
}
