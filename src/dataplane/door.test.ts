// The door around the pipeline: a stage that breaks fails closed unless it says otherwise, every
// identified exchange leaves a record naming templates and hashes (never the raw path), and an
// answer leaves only once its record is durable. The fail-open path is in stages/limit-rate.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExchangeRecord } from '../records/record.ts';
import { createDoor } from './door.ts';
import type { Pipeline } from './pipeline.ts';
import type { SnapshotHolder } from './snapshot-holder.ts';
import type { Stage } from './stage.ts';
import { authorizeEndpoint, authorizeService } from './stages/authorize.ts';
import { identifyCaller } from './stages/identify-caller.ts';
import { resolveEndpoint } from './stages/resolve-endpoint.ts';
import { resolveService } from './stages/resolve-service.ts';
import { validateRequest } from './stages/validate-request.ts';
import { CITIZEN, JUDICIARY, NOW, runtimeSnapshot, SERVICE } from './test-kit.ts';

let server: http.Server | undefined;
afterEach(async () => {
  await new Promise((r) => server?.close(r));
  server = undefined;
});

const ANSWER = `{"nationalCode":"${CITIZEN}","firstName":"علی"}`;

interface DoorSetup {
  /** Stages after the real identify, resolve, authorize and validate stages. */
  then?: Stage[];
  record?: (r: ExchangeRecord) => Promise<void>;
  now?: number;
}

async function doorWith(o: DoorSetup = {}) {
  const logs: { level: number; msg: string; err?: { message?: string } }[] = [];
  const log = pino({ level: 'debug' }, { write: (line: string) => { logs.push(JSON.parse(line)); } });
  const records: ExchangeRecord[] = [];
  let providerCalls = 0;
  const provider: Stage = {
    name: 'call-provider', failMode: 'closed',
    run: (ex) => { providerCalls++; ex.response = { status: 200, headers: ['content-type', 'application/json'], body: Buffer.from(ANSWER) }; },
  };
  const identify = identifyCaller();
  const now = () => o.now ?? NOW;
  const pipeline: Pipeline = {
    stages: [identify, resolveService(), authorizeService(now), resolveEndpoint(), authorizeEndpoint(now), validateRequest(Buffer.alloc(32, 1)), ...(o.then ?? []), provider],
    identifyCaller: identify,
  };
  const door = createDoor({
    pipeline,
    snapshots: { current: runtimeSnapshot() } as SnapshotHolder,
    record: async (r) => { records.push(r); await o.record?.(r); },
    observers: [],
    log,
    now,
    maxBodyBytes: 1024,
    instance: 'IR',
  });
  server = http.createServer((req, res) => void door.handle(req, res));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const call = async (path = `/persons/${CITIZEN}?purpose=audit`) => {
    const res = await request(`http://127.0.0.1:${port}/r1/${SERVICE}${path}`, { headers: { 'x-road-client': JUDICIARY } });
    return { status: res.statusCode, headers: res.headers, text: await res.body.text() };
  };
  return { call, logs, records, providerCalls: () => providerCalls };
}

describe('the door', () => {
  it('refuses with Server.ServerProxy.InternalError when a fail-closed stage breaks, and runs no stage after it', async () => {
    const broken: Stage = { name: 'broken', failMode: 'closed', run: () => { throw new TypeError(`cannot read ${CITIZEN}`); } };
    const d = await doorWith({ then: [broken] });
    const res = await d.call();
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.InternalError');
    expect(d.providerCalls()).toBe(0);
    // The caller learns the stage, not the cause; the cause goes to the log, with the detail to find it.
    const reply = JSON.parse(res.text) as { message: string; detail: string };
    expect(reply.message).toContain('broken');
    expect(res.text).not.toContain(CITIZEN);
    expect(d.logs.some((l) => l.level >= 50 && (l as { detail?: string }).detail === reply.detail)).toBe(true);
    expect(d.records.map((r) => r.errorType)).toEqual(['Server.ServerProxy.InternalError']);
    // The cause is logged by its class and stack frames; its message quoted the input.
    expect(JSON.stringify(d.logs)).toContain('TypeError');
    expect(JSON.stringify(d.logs)).not.toContain(CITIZEN);
  });

  it('records the endpoint as its template, the subject as a keyed hash, and the request hash it answered with', async () => {
    const d = await doorWith();
    const res = await d.call();
    expect(res.status).toBe(200);
    const [r] = d.records;
    expect(r).toMatchObject({ client: JUDICIARY, service: SERVICE, endpoint: 'GET /persons/{nationalCode}', status: 200, errorType: null });
    expect(r!.subjectHash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(r!.requestHash).toBe(res.headers['x-road-request-hash']);
    expect(r!.xroadId).toBe(res.headers['x-road-id']);
    // Neither the path nor the query reaches the record.
    expect(JSON.stringify(r)).not.toContain(CITIZEN);
    expect(JSON.stringify(r)).not.toContain('audit');
  });

  it('withholds the answer when its record cannot be made durable', async () => {
    const d = await doorWith({ record: () => Promise.reject(new RangeError('disk gone')) });
    const res = await d.call();
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.RecordFailed');
    expect(res.text).not.toContain(CITIZEN);
    expect(d.providerCalls()).toBe(1);
  });

  it('refuses on an expired snapshot with Server.ServerProxy.OutdatedGlobalConf before any stage runs', async () => {
    const d = await doorWith({ now: NOW + 2 * 86_400_000 });
    const res = await d.call();
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.OutdatedGlobalConf');
    expect(d.providerCalls()).toBe(0);
  });
});
