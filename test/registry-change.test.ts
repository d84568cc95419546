// The control plane: the admin API refuses unauthenticated callers on every route, and a change
// made through it reaches the data plane within a few seconds, without a restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, POLICE, JUDICIARY, PERSON_CONTRACT, type TestNode, until } from './harness.ts';

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let admin: (method: string, path: string, body?: unknown, token?: string | null) => Promise<{ status: number; json: any; text: string }>;

beforeAll(async () => {
  provider = await startTestProvider();
  t = await startTestNode({ snapshotPollMs: 500 });
  // The test provider listens on loopback, which the registry refuses unless allowed.
  const problem = await t.node.registry.providerAddressProblem(new URL(provider.baseUrl));
  if (problem) await t.node.registry.allowProviderHost(problem.entry, 'the test provider');
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

const enc = encodeURIComponent;

describe('removals', () => {
  it('take a subsystem\'s rights and group memberships with it, refuse what would leave things dangling, and are logged', async () => {
    const nocr = await admin('DELETE', `/v1/subsystems/${enc('IR/GOV/NOCR/identity')}`);
    expect(nocr.status).toBe(409);
    expect(nocr.json).toMatchObject({ type: 'Admin.Conflict', message: expect.stringContaining(SERVICE) });

    const temp = 'IR/GOV/TEMP/app';
    expect((await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'TEMP', name: 'Temporary' })).status).toBe(201);
    expect((await admin('POST', '/v1/subsystems', { subsystemId: temp })).status).toBe(201);
    expect((await admin('POST', '/v1/groups', { groupCode: 'temps', description: 'Temporary' })).status).toBe(201);
    expect((await admin('POST', `/v1/groups/${enc('IR/temps')}/members`, { subsystemId: temp })).status).toBe(201);
    expect((await admin('POST', '/v1/access-rights', { subject: temp, serviceId: SERVICE, legalBasis: 'Temporary act' })).status).toBe(201);
    expect((await t.http(person, { headers: { 'x-road-client': temp } })).status).toBe(200);

    expect((await admin('DELETE', `/v1/groups/${enc('IR/temps')}/members/${enc(temp)}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/groups/${enc('IR/temps')}/members/${enc(temp)}`)).json.type).toBe('Admin.NotFound');
    expect((await admin('POST', `/v1/groups/${enc('IR/temps')}/members`, { subsystemId: temp })).status).toBe(201);
    const member = await admin('DELETE', `/v1/members/${enc('IR/GOV/TEMP')}`);
    expect(member.status).toBe(409);
    expect(member.json.message).toContain(temp);

    expect((await admin('DELETE', `/v1/subsystems/${enc(temp)}`)).status).toBe(204);
    const gone = await t.http(person, { headers: { 'x-road-client': temp } });
    expect(gone.headers['x-road-error']).toBe('Client.UnknownMember');
    expect((await admin('GET', '/v1/access-rights')).json.some((r: { subject_id: string }) => r.subject_id === temp)).toBe(false);
    expect((await admin('GET', '/v1/groups')).json.find((g: { id: string }) => g.id === 'IR/temps').members).toEqual([]);
    expect((await admin('DELETE', `/v1/members/${enc('IR/GOV/TEMP')}`)).status).toBe(204);

    const changes = (await admin('GET', '/v1/changes')).json as { action: string; object_id: string; detail: string }[];
    const removal = changes.find((c) => c.action === 'subsystem.remove' && c.object_id === temp)!;
    expect(JSON.parse(removal.detail)).toMatchObject({ accessRightsRemoved: [{ serviceId: SERVICE, legalBasis: 'Temporary act' }], groupsLeft: ['IR/temps'] });
    expect(changes.map((c) => c.action)).toEqual(expect.arrayContaining(['member.remove', 'group.member.remove']));
  });
});

describe('identifiers and names', () => {
  it('refuse codes outside X-Road\'s characters, look-alike letters and case variants, and change nothing', async () => {
    const before = (await admin('GET', '/v1/members')).json.length;
    for (const code of ['N\u041ECR', 'A/B', 'A\\B', 'A;B', 'A%20B', 'a..b', '.', 'A\u0000B', 'شهرداری']) {
      const res = await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: code, name: 'x' });
      expect(res.status, code).toBe(400);
      expect(res.json.type).toBe('Admin.InvalidInput');
    }
    const lower = await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'nocr', name: 'x' });
    expect(lower.status).toBe(409);
    expect(lower.json.message).toMatch(/only in letter case/);
    const subsystem = await admin('POST', '/v1/subsystems', { subsystemId: 'IR/GOV/NOCR/Identity' });
    expect(subsystem.json.type).toBe('Admin.AlreadyExists');
    expect((await admin('GET', '/v1/members')).json.length).toBe(before);
  });

  it('store Persian names in one form and refuse overlong or bidi-spoofed ones', async () => {
    const res = await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'KARAJ', name: 'Karaj municipality', nameFa: 'شهرداري كرج' });
    expect(res.status).toBe(201);
    expect((await admin('GET', '/v1/members')).json.find((m: { id: string }) => m.id === 'IR/GOV/KARAJ').name_fa).toBe('شهرداری کرج');
    expect((await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'LONG', name: 'ن'.repeat(201) })).json.type).toBe('Admin.InvalidInput');
    expect((await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'BIDI', name: 'Police\u202Eecilop' })).json.type).toBe('Admin.InvalidInput');
  });

  it('any code that can be registered can be named in X-Road-Client, percent-encoded part by part', async () => {
    const client = "IR/GOV/A(1)/x'y+z";
    expect((await admin('POST', '/v1/members', { memberClass: 'GOV', memberCode: 'A(1)', name: 'Punctuated' })).status).toBe(201);
    expect((await admin('POST', '/v1/subsystems', { subsystemId: client })).status).toBe(201);
    expect((await admin('POST', '/v1/access-rights', { subject: client, serviceId: SERVICE, legalBasis: 'x' })).status).toBe(201);
    for (const header of [client, 'IR/GOV/A%281%29/x%27y%2Bz', 'IR/GOV/A%281%29/x\'y+z']) {
      const res = await t.http(person, { headers: { 'x-road-client': header } });
      expect(res.status, header).toBe(200);
      expect(res.headers['x-road-client']).toBe(client);
    }
    for (const header of ['IR/GOV/JUDICIARY%2Fx/case-management', 'IR/GOV/N%D0%9ECR/identity', 'IR/GOV/NOCR/%2E%2E']) {
      const res = await t.http(person, { headers: { 'x-road-client': header } });
      expect(res.headers['x-road-error'], header).toBe('Client.InvalidClientIdentifier');
    }
  });
});

describe('provider addresses', () => {
  const service = (baseUrl: string, code = 'local') =>
    admin('POST', '/v1/services', { serviceId: `IR/GOV/NOCR/identity/${code}`, title: 'x', baseUrl, contract: PERSON_CONTRACT });

  it('refuse loopback, link-local and this host in any spelling, and the node\'s own ports', async () => {
    const before = (await admin('GET', '/v1/services')).json.length;
    for (const url of [
      'http://169.254.169.254/latest', 'http://[fe80::1]/x', 'http://[::ffff:127.0.0.1]:9/x', 'http://[::ffff:a9fe:a9fe]/x',
      'http://2130706433:9/x', 'http://0177.0.0.1:9/x', 'http://0x7f.1:9/x', 'http://localhost:9/x', 'http://api.localhost/x',
      'http://0.0.0.0:9/x', 'http://[::]:9/x', 'http://[::1]:9/x', `http://127.0.0.1:${t.node.ports.admin}/x`,
    ]) {
      const res = await service(url);
      expect(res.status, url).toBe(400);
      expect(res.json.type).toBe('Admin.InvalidInput');
    }
    expect((await admin('GET', '/v1/services')).json.length).toBe(before);
  });

  it('are allowed by the operator\'s allow-list, which keeps an entry while a service relies on it', async () => {
    // The node records its own ports at start; a host-only entry never covers them.
    await t.node.registry.recordNodePorts([t.node.ports.admin, t.node.ports.tls, t.node.ports.http]);
    expect((await admin('POST', '/v1/provider-hosts', { host: '127.0.0.2', note: 'an agency on this machine' })).status).toBe(201);
    expect((await admin('POST', '/v1/provider-hosts', { host: '0x7f.0.0.2' })).json.type).toBe('Admin.AlreadyExists');
    expect((await service('http://127.0.0.2:9/x')).status).toBe(201);
    expect((await service(`http://127.0.0.2:${t.node.ports.http}/x`, 'loop')).json.type).toBe('Admin.InvalidInput');
    expect((await admin('GET', '/v1/provider-hosts')).json).toEqual(expect.arrayContaining([expect.objectContaining({ entry: '127.0.0.2', note: 'an agency on this machine' })]));
    expect((await admin('DELETE', '/v1/provider-hosts/127.0.0.2')).json.type).toBe('Admin.Conflict');
    expect((await admin('DELETE', `/v1/services/${enc('IR/GOV/NOCR/identity/local')}`)).status).toBe(204);
    expect((await admin('DELETE', '/v1/provider-hosts/127.0.0.2')).status).toBe(204);
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
