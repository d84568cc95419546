// The statistics reader's thread as the node uses it: answers equal the reader's own, a full queue
// is refused with a coded error, a question never waits past its time limit, and a thread that dies
// fails the question in flight with a coded error (it never hangs) and is started again.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJalali } from '../dates/jalali.ts';
import { recordsFile } from '../records/record-store.ts';
import { RollupThread } from './rollup-host.ts';
import { openStatsSource, type StatsSource } from './stats-source.ts';

const log = pino({ level: 'silent' });
let dir: string;
let source: StatsSource;
const q = { from: parseJalali('1399/01/01'), to: parseJalali('1399/12/30'), by: 'service' as const, compare: false };

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-rollup-host-'));
  // Makes records.db and its tables, as the control plane does before starting the thread.
  source = openStatsSource(dir);
  source.db.prepare("insert into rollup_keys (id, client, service, endpoint, status, error_type) values (1, 'IR/GOV/JUDICIARY/cases', 'IR/GOV/NOCR/identity/persons', '/persons/{code}', 200, '')").run();
  source.db.prepare("insert into rollup_month (period, key_id, n) values ('1399/07', 1, 5)").run();
});
afterAll(async () => {
  source.close();
  await rm(dir, { recursive: true, force: true });
});

const thread = (o: { timeoutMs?: number; maxWaiting?: number } = {}) => new RollupThread({ recordsFile: recordsFile(dir), log, ...o });

describe('the statistics reader thread', () => {
  it('answers what the reader answers at once, months and compliance slices too', async () => {
    const t = thread();
    try {
      expect(await t.query(q)).toEqual(source.reader.query(q));
      expect(await t.rollupMonths()).toEqual(['1399/07']);
      expect(await t.answeredByClient('IR/GOV/NOCR/identity/persons', '1399/07')).toEqual(new Map([['IR/GOV/JUDICIARY/cases', 5]]));
    } finally {
      await t.close();
    }
  });

  it('refuses a question beyond the queue with Admin.StatsBusy (503)', async () => {
    const t = thread({ maxWaiting: 1 });
    try {
      const first = t.query(q);
      await expect(t.query(q)).rejects.toMatchObject({ type: 'Admin.StatsBusy', status: 503 });
      expect((await first).total.count).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('fails a question that outlives its time limit with Admin.StatsTimeout', async () => {
    // A new thread first loads its modules: it cannot answer within a millisecond.
    const t = thread({ timeoutMs: 1 });
    try {
      await expect(t.query(q)).rejects.toMatchObject({ type: 'Admin.StatsTimeout', status: 503 });
    } finally {
      await t.close();
    }
  });

  it('fails the question in flight when the thread dies, with Admin.StatsUnavailable, and starts a new thread', async () => {
    const t = thread();
    try {
      const inFlight = t.query(q);
      // Killed before it could answer: the question was asked on this same turn of the event loop.
      void (t as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await expect(inFlight).rejects.toMatchObject({ type: 'Admin.StatsUnavailable', status: 503 });
      expect(t.waiting).toBe(0);
      expect((await t.query(q)).total.count).toBe(5);
    } finally {
      await t.close();
    }
  });

  it('refuses questions once closed, with a coded error', async () => {
    const t = thread();
    await t.close();
    await expect(t.query(q)).rejects.toMatchObject({ type: 'Admin.StatsUnavailable' });
  });
});
