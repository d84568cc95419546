// The limit-rate stage: refuses with Client.RateLimitExceeded when the bucket is empty, asks
// nothing for services without a rate, and fails open: a limiter that throws or rejects lets the
// exchange through the door, which logs the stage's failure.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { isTabadolError } from '../../errors/catalogue.ts';
import { createDoor } from '../door.ts';
import type { Exchange } from '../exchange.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { Pipeline } from '../pipeline.ts';
import type { SnapshotHolder } from '../snapshot-holder.ts';
import type { Stage, SyncStage } from '../stage.ts';
import { limitRate } from './limit-rate.ts';

const SERVICE = 'IR/GOV/NOCR/identity/person';
const CLIENT = 'IR/GOV/JUDICIARY/case-management';

function exchangeFor(maxRatePerSecond: number | null): Exchange {
  return { serviceId: SERVICE, client: CLIENT, service: { id: SERVICE, def: { maxRatePerSecond } } } as unknown as Exchange;
}

function recording(answer: (key: string, rate: number) => boolean | Promise<boolean>) {
  const asked: [string, number][] = [];
  const limiter: RateLimiter = { take: (key, rate) => { asked.push([key, rate]); return answer(key, rate); } };
  return { limiter, asked };
}

async function refusalOf(run: () => unknown): Promise<string | undefined> {
  try {
    await run();
  } catch (e) {
    return isTabadolError(e) ? e.type : `uncoded: ${String(e)}`;
  }
  return undefined;
}

describe('limit-rate stage', () => {
  it('does not ask the limiter for a service without a rate', () => {
    const { limiter, asked } = recording(() => false);
    expect(limitRate(limiter).run(exchangeFor(null))).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('asks once per exchange, keyed by service and client, and refuses when the bucket is empty', async () => {
    const sync = recording(() => false);
    expect(await refusalOf(() => limitRate(sync.limiter).run(exchangeFor(3)))).toBe('Client.RateLimitExceeded');
    expect(sync.asked).toEqual([[`${SERVICE}\n${CLIENT}`, 3]]);
    const shared = recording(async () => false);
    expect(await refusalOf(() => limitRate(shared.limiter).run(exchangeFor(3)))).toBe('Client.RateLimitExceeded');
    expect(await refusalOf(() => limitRate(recording(async () => true).limiter).run(exchangeFor(3)))).toBeUndefined();
    expect(limitRate(recording(() => true).limiter).run(exchangeFor(3))).toBeUndefined();
  });
});

describe('a broken rate limiter at the door', () => {
  let server: http.Server | undefined;
  afterEach(async () => {
    await new Promise((r) => server?.close(r));
    server = undefined;
  });

  /** A door whose pipeline is: identify, resolve (stubs), limit-rate with `limiter`, an answering provider (stub). */
  async function doorWith(limiter: RateLimiter) {
    const logs: { level: number; stage?: string; msg: string }[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => { logs.push(JSON.parse(line)); } });
    let providerCalls = 0;
    const identify: SyncStage = { name: 'identify-caller', failMode: 'closed', run: (ex) => { ex.client = CLIENT; } };
    const resolve: Stage = { name: 'resolve-service', failMode: 'closed', run: (ex) => { ex.service = { id: SERVICE, def: { maxRatePerSecond: 1 } } as Exchange['service']; } };
    const provider: Stage = {
      name: 'call-provider', failMode: 'closed',
      run: (ex) => { providerCalls++; ex.response = { status: 200, headers: ['content-type', 'application/json'], body: Buffer.from('{"ok":true}') }; },
    };
    const pipeline: Pipeline = { stages: [identify, resolve, limitRate(limiter), provider], identifyCaller: identify };
    const door = createDoor({
      pipeline,
      snapshots: { current: { validUntil: Number.POSITIVE_INFINITY, doc: {} } } as unknown as SnapshotHolder,
      record: async () => {},
      observers: [],
      log,
      now: Date.now,
      maxBodyBytes: 1024,
      instance: 'IR',
    });
    server = http.createServer((req, res) => void door.handle(req, res));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const call = async () => {
      const res = await request(`http://127.0.0.1:${port}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': CLIENT } });
      await res.body.text();
      return res.statusCode;
    };
    return { call, logs, providerCalls: () => providerCalls };
  }

  it('lets the exchange through and logs when the limiter throws', async () => {
    const d = await doorWith({ take: () => { throw new RangeError('bucket store broken'); } });
    expect(await d.call()).toBe(200);
    expect(d.providerCalls()).toBe(1);
    expect(d.logs.some((l) => l.stage === 'limit-rate' && l.level >= 50)).toBe(true);
  });

  it('lets the exchange through and logs when the limiter rejects (a shared store that does not answer)', async () => {
    const d = await doorWith({ take: () => Promise.reject(new RangeError('no answer in time')) });
    expect(await d.call()).toBe(200);
    expect(d.providerCalls()).toBe(1);
    expect(d.logs.some((l) => l.stage === 'limit-rate' && l.level >= 50)).toBe(true);
  });

  it('still refuses when the limiter answers no', async () => {
    const d = await doorWith({ take: () => false });
    expect(await d.call()).toBe(400);
    expect(d.providerCalls()).toBe(0);
  });
});
