// The chain writer after a failed commit: the chain, and what it believes is signed, are as before.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChainWriter } from './chain-writer.ts';
import { openRecordStore } from './record-store.ts';
import { rowText, type ExchangeRecord } from './record.ts';

const record = (id: string): ExchangeRecord => ({
  xroadId: id, requestId: id, client: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/NOCR/identity/person', endpoint: 'GET /persons/{nationalCode}',
  userId: null, issue: null, representedParty: null, subjectHash: null, timeIn: '2026-11-29T00:00:00.000Z', timeOut: '2026-11-29T00:00:00.001Z',
  durationUs: 1000, providerUs: 500, status: 200, errorType: null, requestSize: 0, responseSize: 10, requestHash: 'x', responseHash: 'y',
});

describe('the chain writer', () => {
  it('forgets a checkpoint whose transaction did not commit, so the records that reach its seq are signed again', () => {
    const db = openRecordStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'tabadol-chain-')), 'records.db'), 'normal');
    const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const writer = new ChainWriter(db, { chainId: 'central/0', signingKeyPem, checkpointIntervalMs: 0 });
    // A commit that fails after the checkpoint row was written (as a full disk at COMMIT does): a
    // deferred constraint, broken by a trigger on checkpoints, is only checked when committing.
    db.pragma('foreign_keys = ON');
    db.exec(`create table parent (id integer primary key);
      create table child (parent_id integer references parent(id) deferrable initially deferred);
      create trigger fail_commit after insert on checkpoints when (select count(*) from checkpoints) = 1
        begin insert into child values (999); end;`);
    expect(() => writer.append([rowText(record('a'))])).toThrow();
    expect(db.prepare('select count(*) as n from checkpoints').get()).toEqual({ n: 0 });

    db.exec('drop trigger fail_commit');
    writer.append([rowText(record('b'))]);
    // The record now at seq 1 is covered by a signed checkpoint.
    expect(db.prepare('select seq from checkpoints').all()).toEqual([{ seq: 1 }]);
    expect(writer.position).toMatchObject({ seq: 1, signedSeq: 1 });
    writer.stop();
    db.close();
  });
});
