// Bytes one record costs in records.db: writes records through the real chain writer into a fresh
// store and divides the growth of the file's used pages (table, both indexes, chain hashes) by the
// number of records. Run: npx tsx bench/record-size.ts [records per case, default 20000]
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { openRecordStore } from '../src/records/record-store.ts';
import { ChainWriter } from '../src/records/chain-writer.ts';
import { rowText, type ExchangeRecord } from '../src/records/record.ts';

const N = Number(process.argv[2] ?? 20_000);
const BATCH = 50;
const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const b64 = (n: number) => randomBytes(n).toString('base64');
const times = (i: number) => {
  const t = Date.UTC(2025, 0, 1) + i * 7;
  return { timeIn: new Date(t).toISOString(), timeOut: new Date(t + 42).toISOString() };
};

/** The demo's inquiry: the judiciary asks the civil registration for a person. */
function typical(i: number): ExchangeRecord {
  return {
    xroadId: `IR-${randomUUID()}`, requestId: randomUUID(),
    client: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/NOCR/identity/person',
    endpoint: 'GET /persons/{nationalCode}', userId: 'judge-1', issue: 'case 1403-123', representedParty: null,
    subjectHash: randomBytes(32).toString('base64url'), ...times(i),
    durationUs: 3_412, providerUs: 2_900, status: 200, errorType: null, requestSize: 0, responseSize: 187,
    requestHash: b64(64), responseHash: b64(64),
  };
}

/** Every X-Road-* header at 255 characters. Header values arrive as latin1, so a character above
 * 0x7F (a UTF-8 Persian byte, for example) is stored as two bytes of UTF-8: the true worst case. */
function worst(wide: boolean) {
  const text = (i: number) => (wide ? 'é' : 'x').repeat(255 - String(i).length) + i;
  return (i: number): ExchangeRecord => ({
    ...typical(i),
    xroadId: text(i), userId: text(i), issue: text(i), representedParty: text(i),
    client: 'IR/GOV/' + 'C'.repeat(248), service: 'IR/GOV/' + 'S'.repeat(248),
    endpoint: 'POST /' + 'p'.repeat(94), errorType: 'Server.ServerProxy.InvalidResponse', status: 500,
  });
}

function usedBytes(db: ReturnType<typeof openRecordStore>): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  return (pages - free) * (db.pragma('page_size', { simple: true }) as number);
}

function measure(make: (i: number) => ExchangeRecord, checkpointEvery: number): number {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tabadol-record-size-'));
  const db = openRecordStore(path.join(dir, 'records.db'), 'normal');
  const writer = new ChainWriter(db, { chainId: 'central/0', signingKeyPem, checkpointIntervalMs: 2 ** 40 });
  writer.stop();
  const write = (from: number, count: number) => {
    for (let i = from; i < from + count; i += BATCH) {
      writer.append(Array.from({ length: Math.min(BATCH, from + count - i) }, (_, k) => rowText(make(i + k))));
      if (checkpointEvery > 0 && (i / BATCH) % checkpointEvery === 0) writer.checkpointNow();
    }
  };
  write(0, 2_000); // past the first pages of every b-tree
  const before = usedBytes(db);
  write(2_000, N);
  const per = (usedBytes(db) - before) / N;
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return per;
}

const rows = {
  'typical demo inquiry': measure(typical, 0),
  'every X-Road-* header at 255 ASCII characters': measure(worst(false), 0),
  'every X-Road-* header at 255 characters above 0x7F': measure(worst(true), 0),
  'one signed checkpoint (per batch of 50 typical records)': (measure(typical, 1) - measure(typical, 0)) * BATCH,
};
for (const [name, bytes] of Object.entries(rows)) console.log(`${name.padEnd(58)} ${bytes.toFixed(0).padStart(6)} bytes`);
