// Offline verification of a records store: recomputes every chain and checks every checkpoint
// signature, then names the first record that was altered, removed or inserted.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { chainHash, checkpointMessage, GENESIS_HASH, type RecordRow } from './record.ts';
import { RECORD_COLUMNS } from './record-store.ts';

export interface ChainReport {
  chainId: string;
  records: number;
  checkpoints: number;
  signedUpTo: number;
  ok: boolean;
  problem?: string;
}

export interface VerifyReport {
  ok: boolean;
  chains: ChainReport[];
}

interface Row { seq: number; prev_hash: string; hash: string; [column: string]: unknown }

/**
 * @param trustedKey the node's public key as the auditor holds it; when absent, the key stored with
 * each checkpoint is used, which proves integrity against accidents but not against whoever could
 * also rewrite the checkpoints.
 */
export function verifyRecords(db: Database.Database, trustedKey?: KeyObject): VerifyReport {
  const chainIds = (db.prepare('select distinct chain_id from records union select distinct chain_id from checkpoints').all() as { chain_id: string }[])
    .map((r) => r.chain_id);
  const chains = chainIds.map((id) => verifyChain(db, id, trustedKey));
  return { ok: chains.every((c) => c.ok), chains };
}

function verifyChain(db: Database.Database, chainId: string, trustedKey?: KeyObject): ChainReport {
  const report: ChainReport = { chainId, records: 0, checkpoints: 0, signedUpTo: 0, ok: true };
  const bad = (problem: string): ChainReport => ({ ...report, ok: false, problem });

  const checkpoints = db.prepare('select seq, head_hash, at, signature, public_key from checkpoints where chain_id = ? order by seq')
    .all(chainId) as { seq: number; head_hash: string; at: string; signature: string; public_key: string }[];
  for (const cp of checkpoints) {
    const key = trustedKey ?? createPublicKey(cp.public_key);
    if (!verify(null, checkpointMessage(chainId, cp.seq, cp.head_hash, cp.at), key, Buffer.from(cp.signature, 'base64'))) {
      return bad(`checkpoint at record ${cp.seq} has a signature that does not verify`);
    }
  }
  const cpBySeq = new Map(checkpoints.map((c) => [c.seq, c]));
  report.checkpoints = checkpoints.length;

  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  const rows = db.prepare(`select seq, ${RECORD_COLUMNS.join(', ')}, prev_hash, hash from records where chain_id = ? order by seq`).iterate(chainId) as IterableIterator<Row>;
  for (const r of rows) {
    if (r.seq > expectedSeq) return bad(`record ${expectedSeq} was removed (the chain jumps from ${expectedSeq - 1} to ${r.seq})`);
    if (r.prev_hash !== prev) return bad(`record ${r.seq} does not link to record ${r.seq - 1}: a record was inserted or removed before it`);
    const row = RECORD_COLUMNS.map((c) => r[c]) as RecordRow;
    if (chainHash(chainId, r.seq, prev, row) !== r.hash) return bad(`record ${r.seq} was altered (its content does not match its hash)`);
    const cp = cpBySeq.get(r.seq);
    if (cp) {
      if (cp.head_hash !== r.hash) return bad(`record ${r.seq} differs from the signed checkpoint of ${cp.at}`);
      report.signedUpTo = r.seq;
    }
    prev = r.hash;
    expectedSeq = r.seq + 1;
    report.records++;
  }
  const lastCheckpoint = checkpoints.at(-1);
  if (lastCheckpoint && lastCheckpoint.seq >= expectedSeq) {
    return bad(`records ${expectedSeq} to ${lastCheckpoint.seq} were removed (a signed checkpoint covers them)`);
  }
  return report;
}
