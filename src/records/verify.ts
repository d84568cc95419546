// Offline verification of a records store: recomputes every chain and checks every checkpoint
// signature, then names the first record that was altered, removed or inserted. Given the signed
// heads an auditor kept (heads.ts), it also finds records removed from the end of a chain together
// with the checkpoints that covered them.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { chainHash, checkpointMessage, GENESIS_HASH, type RecordRow } from './record.ts';
import { RECORD_COLUMNS, recordColumnsIn } from './record-store.ts';
import { headSignatureValid, type SignedHead } from './heads.ts';

export interface ChainReport {
  chainId: string;
  records: number;
  checkpoints: number;
  signedUpTo: number;
  /** Records before this one aged out under the retention setting, up to a signed checkpoint. */
  startsAt?: number;
  /** Sequence number of the auditor's kept head that the store was checked against. */
  keptHead?: number;
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
export function verifyRecords(db: Database.Database, trustedKey?: KeyObject, keptHeads: SignedHead[] = []): VerifyReport {
  const chainIds = (db.prepare('select distinct chain_id from records union select distinct chain_id from checkpoints').all() as { chain_id: string }[])
    .map((r) => r.chain_id);
  const chains = chainIds.map((id) => verifyChain(db, id, trustedKey));
  for (const head of keptHeads) {
    const i = chains.findIndex((c) => c.chainId === head.chainId);
    if (i < 0) {
      chains.push({ chainId: head.chainId, records: 0, checkpoints: 0, signedUpTo: 0, keptHead: head.seq, ok: false,
        problem: `the store holds nothing of this chain, whose head at record ${head.seq} (signed ${head.at}) the auditor kept` });
    } else if (chains[i]!.ok) {
      chains[i] = checkKeptHead(db, chains[i]!, head, trustedKey);
    }
  }
  return { ok: chains.every((c) => c.ok), chains };
}

/** The chain verified on its own; the kept head must still be in it, as record and as checkpoint. */
function checkKeptHead(db: Database.Database, report: ChainReport, head: SignedHead, trustedKey?: KeyObject): ChainReport {
  const checked = { ...report, keptHead: head.seq };
  const bad = (problem: string): ChainReport => ({ ...checked, ok: false, problem });
  const key = trustedKey ?? createPublicKey(head.publicKey);
  if (!headSignatureValid(head, key)) return bad(`the kept head at record ${head.seq} has a signature that does not verify with the trusted key`);
  // The chain is intact from 1 to report.records, so a kept head beyond it means records removed from the end.
  const last = (report.startsAt ?? 1) + report.records - 1;
  if (head.seq > last) {
    return bad(`records ${last + 1} to ${head.seq} were removed (the auditor's kept head of ${head.at} covers them)`);
  }
  const record = db.prepare('select hash from records where chain_id = ? and seq = ?').get(head.chainId, head.seq) as { hash: string } | undefined;
  if (head.seq < (report.startsAt ?? 1)) return checked; // aged out under retention, after the head was kept
  if (record?.hash !== head.recordHash) return bad(`record ${head.seq} differs from the auditor's kept head of ${head.at}: the chain was rewritten`);
  const cp = db.prepare('select head_hash, at, signature from checkpoints where chain_id = ? and seq = ?').get(head.chainId, head.seq) as
    { head_hash: string; at: string; signature: string } | undefined;
  if (!cp || cp.head_hash !== head.recordHash || cp.at !== head.at || cp.signature !== head.signature) {
    return bad(`the signed checkpoint at record ${head.seq} that the auditor kept was removed or replaced`);
  }
  return checked;
}

function hasPrunedTable(db: Database.Database): boolean {
  return db.prepare("select 1 from sqlite_master where type = 'table' and name = 'pruned'").get() !== undefined;
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
  // Aged-out records end at a checkpoint whose signature was checked above: the chain resumes from it.
  const pruned = hasPrunedTable(db)
    ? db.prepare('select up_to_seq, head_hash from pruned where chain_id = ?').get(chainId) as { up_to_seq: number; head_hash: string } | undefined
    : undefined;
  if (pruned) {
    const anchor = cpBySeq.get(pruned.up_to_seq);
    if (anchor?.head_hash !== pruned.head_hash) return bad(`records up to ${pruned.up_to_seq} aged out, but the signed checkpoint they ended at is missing or differs`);
    expectedSeq = pruned.up_to_seq + 1;
    prev = pruned.head_hash;
    report.startsAt = expectedSeq;
    report.signedUpTo = pruned.up_to_seq;
  }
  // A store made before a field was appended may lack its column: its records hash without it.
  const present = recordColumnsIn(db);
  const columns = RECORD_COLUMNS.filter((c) => present.has(c));
  const rows = db.prepare(`select seq, ${columns.join(', ')}, prev_hash, hash from records where chain_id = ? order by seq`).iterate(chainId) as IterableIterator<Row>;
  for (const r of rows) {
    if (r.seq > expectedSeq) return bad(`record ${expectedSeq} was removed (the chain jumps from ${expectedSeq - 1} to ${r.seq})`);
    if (r.prev_hash !== prev) return bad(`record ${r.seq} does not link to record ${r.seq - 1}: a record was inserted or removed before it`);
    const row = RECORD_COLUMNS.map((c) => r[c] ?? null) as RecordRow;
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
