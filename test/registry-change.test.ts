// The control plane: the admin API refuses unauthenticated callers on every route, and a change
// made through it reaches the data plane within a few seconds, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, POLICE, JUDICIARY, type TestNode } from './harness.ts';

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let admin: (method: string, path: string, body?: unknown, token?: string | null) => Promise<{ status: number; json: any; text: string }>;

beforeAll(async () => {
  provider = await startTestProvider();
  t = await startTestNode({ snapshotPollMs: 500 });
  await seedRegistry(t.node, provider.baseUrl);
  await t.sync();
  admin = async (method, path, body, token = t.node.keys.adminToken) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await request(`http://127.0.0.1:${t.node.ports.admin}${path}`, {
      method: method as 'GET', headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    let json: unknown;
    try { json = JSON.parse(text); } catch { json = undefined; }
    return { status: res.statusCode, json, text };
  };
});
afterAll(async () => {
  await t.close();
  await provider.close();
});

const person = `/r1/${SERVICE}/persons/0012345679`;

async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the admin API', () => {
  it('refuses every route without the bearer token, its own OpenAPI document included', async () => {
    const doc = (await admin('GET', '/openapi.json')).json;
    const routes: [string, string][] = [['GET', '/openapi.json'], ['GET', '/metrics']];
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const m of Object.keys(item)) routes.push([m.toUpperCase(), p.replace(/\{[^}]+\}/g, '1')]);
    }
    expect(routes.length).toBeGreaterThan(15);
    for (const [m, p] of routes) {
      for (const token of [null, 'wrong-token']) {
        const res = await admin(m, p, m === 'GET' || m === 'DELETE' ? undefined : {}, token);
        expect(res.status, `${m} ${p}`).toBe(401);
        expect(res.json.type).toBe('Admin.Unauthenticated');
      }
    }
  });

  it('answers bad input with a coded error and changes nothing', async () => {
    const before = (await admin('GET', '/v1/members')).json.length;
    const res = await admin('POST', '/v1/members', { memberClass: 'XXX', memberCode: 'A', name: 'a' });
    expect(res.status).toBe(400);
    expect(res.json.type).toBe('Admin.InvalidInput');
    const dup = await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'POLICE', name: 'again' });
    expect(dup.status).toBe(409);
    expect(dup.json.type).toBe('Admin.AlreadyExists');
    expect((await admin('GET', '/v1/members')).json.length).toBe(before);
  });

  it('refuses a misspelt field rather than dropping it (a grant meant to expire must not become permanent)', async () => {
    const before = (await admin('GET', '/v1/access-rights')).json.length;
    const res = await admin('POST', '/v1/access-rights', { subject: POLICE, serviceId: SERVICE, legalBasis: 'x', validuntil: '2020-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.json.type).toBe('Admin.InvalidInput');
    expect((await admin('GET', '/v1/access-rights')).json.length).toBe(before);
  });

  it('refuses a contract that is not OpenAPI 3.1', async () => {
    const res = await admin('POST', '/v1/services', {
      serviceId: 'IR/GOV/NOCR/identity/bad', title: 'bad', baseUrl: provider.baseUrl, contract: { openapi: '3.0.0', paths: {} },
    });
    expect(res.status).toBe(400);
    expect(res.json.type).toBe('Admin.InvalidContract');
  });
});

describe('a registry change', () => {
  it('reaches the data plane within a few seconds, without a restart', async () => {
    const refused = await t.http(person, { headers: { 'x-road-client': POLICE } });
    expect(refused.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    const versionBefore = t.node.snapshots.version;

    const granted = await admin('POST', '/v1/access-rights', { subject: POLICE, serviceId: SERVICE, legalBasis: 'Traffic act, art. 9' });
    expect(granted.status).toBe(201);
    const allowed = await until(() => t.http(person, { headers: { 'x-road-client': POLICE } }), (r) => r.status === 200);
    expect(allowed.status).toBe(200);
    expect(t.node.snapshots.version).toBeGreaterThan(versionBefore);

    expect((await admin('DELETE', `/v1/access-rights/${granted.json.id}`)).status).toBe(204);
    const again = await until(() => t.http(person, { headers: { 'x-road-client': POLICE } }), (r) => r.status !== 200);
    expect(again.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
  });

  it('made by another process (the CLI writes the store) is picked up by the snapshot poll', async () => {
    const other = await openRegistryAt(t.dataDir);
    const id = await other.registry.grant({ subject: POLICE, serviceId: SERVICE, method: 'GET', path: '/persons/{nationalCode}', legalBasis: 'cli' });
    await other.close();
    const allowed = await until(() => t.http(person, { headers: { 'x-road-client': POLICE } }), (r) => r.status === 200);
    expect(allowed.status).toBe(200);
    await t.node.registry.revoke(id);
  });

  it('respects the validity period of an access right', async () => {
    const past = new Date(Date.now() - 3600_000);
    await t.node.registry.grant({
      subject: POLICE, serviceId: SERVICE, legalBasis: 'expired', validFrom: new Date(past.getTime() - 3600_000).toISOString(), validUntil: past.toISOString(),
    });
    await t.sync();
    const res = await t.http(person, { headers: { 'x-road-client': POLICE } });
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
  });
});

describe('metrics', () => {
  it('count exchanges by service, client, status and error type, with latency histograms', async () => {
    await t.http(person, { headers: { 'x-road-client': JUDICIARY } });
    const text = (await admin('GET', '/metrics')).text;
    expect(text).toMatch(new RegExp(`tabadol_exchanges_total\\{service="${SERVICE}",client="${JUDICIARY}",status="200",error_type=""\\} [1-9]`));
    expect(text).toMatch(/tabadol_exchanges_total\{[^}]*error_type="Server.ServerProxy.AccessDenied"\} [1-9]/);
    expect(text).toMatch(/tabadol_exchange_duration_seconds_bucket/);
    expect(text).toMatch(/tabadol_provider_duration_seconds_count\{service="IR\/GOV\/NOCR\/identity\/person"\} [1-9]/);
    // Group-commit sizes: at least one batch, never more batches than records.
    const batches = Number(/tabadol_record_batches_total (\d+)/.exec(text)?.[1]);
    const records = Number(/tabadol_records_total (\d+)/.exec(text)?.[1]);
    expect(batches).toBeGreaterThan(0);
    expect(records).toBeGreaterThanOrEqual(batches);
  });
});
