// The admin API answers only what its own OpenAPI document declares. Every request below (the ones
// the rest of the suite makes through the admin API, and a caller's mistakes) goes to a real node,
// and each answer's status and body are checked against the node's /openapi.json with a JSON Schema
// 2020-12 validator (OpenAPI 3.1 §4.8.24), so a route that answers something undeclared fails here.
// A caller's mistake is a 4xx with the coded {type, message, detail} body and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from 'undici';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { validate as validateOpenApi } from '@readme/openapi-parser';
import { pino } from 'pino';
import { createAdminApp, type AdminDeps } from '../src/admin/admin-app.ts';
import { useSeededNode, SERVICE, POLICE, JUDICIARY, PERSON_CONTRACT } from './harness.ts';

const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;
const ctx = useSeededNode();
const enc = encodeURIComponent;

interface Operation { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }
interface Doc { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } }
interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: any }

let doc: Doc;
let ajv: Ajv2020;
const DOC_ID = 'admin-openapi.json';
const validators = new Map<string, ValidateFunction>();
const templates: { method: string; template: string; pattern: RegExp }[] = [];
/** "METHOD template status" of every checked answer; "METHOD - status" for a path the document lacks. */
const answered = new Set<string>();

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
function validatorAt(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) validators.set(ref, v = ajv.compile({ $ref: `${DOC_ID}#/${ref}` }));
  return v;
}
function expectValid(ref: string, body: unknown, what: string) {
  const validate = validatorAt(ref);
  expect(validate(body), `${what}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`).toBe(true);
}

/** Checks one answer against the document: a declared status for its operation, and a body of the declared schema. */
function checkAgainstDocument(method: string, path: string, res: Answer) {
  const pathOnly = path.split('?', 1)[0]!;
  const op = templates.find((t) => t.method === method && t.pattern.test(pathOnly));
  const what = `${method} ${op?.template ?? pathOnly} answered ${res.status}`;
  if (!op) {
    // A path or method the document does not have: refused, with the shared error body.
    expect([401, 404, 405], what).toContain(res.status);
    expectValid(pointer('components', 'schemas', 'AdminError'), res.json, what);
    answered.add(`${method} - ${res.status}`);
    return;
  }
  const declared = doc.paths[op.template]![method.toLowerCase()]!.responses[String(res.status)];
  expect(declared, `${what}, which the document does not declare`).toBeDefined();
  answered.add(`${method} ${op.template} ${res.status}`);
  if (!declared!.content) {
    expect(res.text, `${what} with a body, where the document declares none`).toBe('');
    return;
  }
  const media = String(res.headers['content-type'] ?? '').split(';', 1)[0]!.trim();
  expect(Object.keys(declared!.content), `${what} as ${media}`).toContain(media);
  const at = pointer('paths', op.template, method.toLowerCase(), 'responses', String(res.status), 'content', media, 'schema');
  expectValid(at, media === 'application/json' ? res.json : res.text, what);
}

/** A request to the admin API, its answer checked against the document. */
async function admin(method: string, path: string, o: { body?: unknown; raw?: string | Buffer; contentType?: string; token?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = {};
  const token = o.token === undefined ? ctx.t.node.keys.adminToken : o.token;
  if (token) headers.authorization = `Bearer ${token}`;
  const body = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const contentType = o.contentType ?? (o.body === undefined ? undefined : 'application/json');
  if (contentType) headers['content-type'] = contentType;
  const res = await request(`http://127.0.0.1:${ctx.t.node.ports.admin}${path}`, { method: method as 'GET', headers, body });
  const text = await res.body.text();
  let json: unknown;
  try { json = JSON.parse(text); } catch { json = undefined; }
  const answer = { status: res.statusCode, headers: res.headers as Answer['headers'], text, json };
  checkAgainstDocument(method, path, answer);
  return answer;
}

/** A refusal: its status, its coded type, the three fields and nothing of Fastify's. */
function expectRefusal(res: Answer, status: number, type: string) {
  expect(res.status, res.text).toBe(status);
  expect(Object.keys(res.json).sort()).toEqual(['detail', 'message', 'type']);
  expect(res.json.type).toBe(type);
  expect(res.headers['x-road-error']).toBe(type);
  expect(res.text).not.toMatch(/FST_|statusCode|stack|at .*\.js:\d+/);
}

beforeAll(async () => {
  const res = await request(`http://127.0.0.1:${ctx.t.node.ports.admin}/openapi.json`, { headers: { authorization: `Bearer ${ctx.t.node.keys.adminToken}` } });
  doc = await res.body.json() as Doc;
  ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
  ajv.addSchema(doc, DOC_ID);
  for (const [template, item] of Object.entries(doc.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const method of Object.keys(item)) templates.push({ method: method.toUpperCase(), template, pattern });
  }
});

describe('the admin API document', () => {
  it('declares, for every operation, its success and refusal statuses with a schema for each body', () => {
    expect(templates.length).toBeGreaterThan(25);
    for (const { method, template } of templates) {
      const responses = doc.paths[template]![method.toLowerCase()]!.responses;
      expect(Object.keys(responses), `${method} ${template}`).toEqual(expect.arrayContaining(['401', '500']));
      expect(Object.keys(responses).some((s) => s.startsWith('2')), `${method} ${template}`).toBe(true);
      for (const [status, r] of Object.entries(responses)) {
        if (status === '204') expect(r.content, `${method} ${template} 204`).toBeUndefined();
        else expect(Object.values(r.content ?? {}).every((c) => c.schema !== undefined), `${method} ${template} ${status}`).toBe(true);
      }
      if (['POST', 'PUT', 'DELETE'].includes(method)) expect(Object.keys(responses), `${method} ${template}`).toEqual(expect.arrayContaining(['400', '413', '415']));
    }
    expect(doc.components.schemas.AdminError).toMatchObject({ required: ['type', 'message', 'detail'], additionalProperties: false });
  });

  it('is a valid OpenAPI 3.1 document with an operationId on every operation, so that clients can be generated from it', async () => {
    const result = await validateOpenApi(structuredClone(doc) as never, { resolve: { external: false, file: false } });
    expect(result.valid, JSON.stringify(result.valid ? [] : result.errors.slice(0, 3))).toBe(true);
    const ids = templates.map(({ method, template }) => (doc.paths[template]![method.toLowerCase()] as Operation & { operationId?: string }).operationId);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('every answer the suite gets from the admin API', () => {
  it('without the bearer token: 401 on every route', async () => {
    for (const { method, template } of templates) {
      const path = template.replace(/\{[^}]+\}/g, '1');
      for (const token of [null, 'wrong-token']) {
        expectRefusal(await admin(method, path, { token, body: ['POST', 'PUT'].includes(method) ? {} : undefined }), 401, 'Admin.Unauthenticated');
      }
    }
    expectRefusal(await admin('GET', '/openapi.json', { token: null }), 401, 'Admin.Unauthenticated');
  });

  it('reads: lists, the snapshot, metrics and changes', async () => {
    for (const p of ['/v1/members', '/v1/subsystems', '/v1/services', '/v1/groups', '/v1/access-rights', '/v1/certificates', '/v1/provider-hosts', '/v1/changes', '/v1/snapshot']) {
      expect((await admin('GET', p)).status, p).toBe(200);
    }
    expect((await admin('GET', `/v1/services/${enc(SERVICE)}`)).json.contract).toEqual(PERSON_CONTRACT);
    expect((await admin('GET', '/metrics')).text).toMatch(/tabadol_/);
    expect((await admin('POST', '/v1/snapshot/publish')).json.version).toBeGreaterThan(0);
  });

  it('members: added, refused when invalid or taken, removed once nothing depends on them', async () => {
    expect((await admin('POST', '/v1/members', { body: { memberClass: 'GOV', memberCode: 'TEMP', name: 'Temporary', nameFa: 'موقت' } })).status).toBe(201);
    expectRefusal(await admin('POST', '/v1/members', { body: { memberClass: 'XXX', memberCode: 'A', name: 'a' } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/members', { body: { memberClass: 'GOV', memberCode: 'A;B', name: 'a' } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/members', { body: { memberClass: 'GOV', memberCode: 'POLICE', name: 'again' } }), 409, 'Admin.AlreadyExists');
    expectRefusal(await admin('DELETE', `/v1/members/${enc('IR/GOV/NOCR')}`), 409, 'Admin.Conflict');
    expectRefusal(await admin('DELETE', `/v1/members/${enc('IR/GOV/NOBODY')}`), 404, 'Admin.NotFound');
  });

  it('subsystems and their certificates', async () => {
    const temp = 'IR/GOV/TEMP/app';
    expect((await admin('POST', '/v1/subsystems', { body: { subsystemId: temp, name: 'App' } })).status).toBe(201);
    expectRefusal(await admin('POST', '/v1/subsystems', { body: { subsystemId: temp } }), 409, 'Admin.AlreadyExists');
    // A home node must be registered first: a subsystem homed on a node nobody runs serves nothing.
    expectRefusal(await admin('POST', '/v1/subsystems', { body: { subsystemId: 'IR/GOV/TEMP/east', homeNode: 'east-1' } }), 404, 'Admin.NotFound');
    for (const [id, province] of [['east-1', '04'], ['east-2', '05']]) {
      expect((await admin('POST', '/v1/nodes', { body: { id, role: 'provincial', province, url: `https://10.4.0.${province}:5500` } })).status).toBe(201);
    }
    expect((await admin('POST', '/v1/subsystems', { body: { subsystemId: 'IR/GOV/TEMP/east', homeNode: 'east-1' } })).status).toBe(201);
    expect((await admin('GET', '/v1/subsystems')).json).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'IR/GOV/TEMP/east', home_node: 'east-1', standby_nodes: null })]));
    expectRefusal(await admin('POST', '/v1/subsystems', { body: { subsystemId: 'IR/GOV/TEMP/west', homeNode: 'a/b' } }), 400, 'Admin.InvalidInput');
    // The nodes serving it: home first, then standbys in failover order.
    const east = `/v1/subsystems/${enc('IR/GOV/TEMP/east')}/nodes`;
    expect((await admin('PUT', east, { body: { nodes: ['east-1', 'east-2'] } })).json).toEqual({ homeNode: 'east-1', standbyNodes: ['east-2'] });
    expect((await admin('GET', '/v1/subsystems')).json).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'IR/GOV/TEMP/east', home_node: 'east-1', standby_nodes: 'east-2' })]));
    expectRefusal(await admin('PUT', east, { body: { nodes: ['east-1', 'east-9'] } }), 404, 'Admin.NotFound');
    expectRefusal(await admin('PUT', east, { body: { nodes: [] } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('PUT', east, { body: { nodes: ['east-1'], extra: 1 } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('DELETE', '/v1/nodes/east-2'), 409, 'Admin.Conflict');
    expect((await admin('DELETE', `/v1/subsystems/${enc('IR/GOV/TEMP/east')}`)).status).toBe(204);
    for (const id of ['east-1', 'east-2']) expect((await admin('DELETE', `/v1/nodes/${id}`)).status).toBe(204);
    expectRefusal(await admin('POST', '/v1/subsystems', { body: { subsystemId: 'IR/GOV/NOBODY/app' } }), 404, 'Admin.NotFound');
    expectRefusal(await admin('DELETE', `/v1/subsystems/${enc('IR/GOV/NOCR/identity')}`), 409, 'Admin.Conflict');
    expectRefusal(await admin('DELETE', `/v1/subsystems/${enc(temp)}/certificates`), 404, 'Admin.NotFound');

    const day = 86_400_000;
    const cert = (serial: string) => ctx.t.node.registry.recordCertificate({
      serial, subsystemId: temp, notBefore: new Date(Date.now() - day).toISOString(), notAfter: new Date(Date.now() + day).toISOString(),
    });
    await cert('A01');
    await cert('A02');
    expect((await admin('GET', `/v1/subsystems/${enc(temp)}/certificates`)).json).toHaveLength(2);
    expect((await admin('DELETE', '/v1/certificates/A01')).status).toBe(204);
    expectRefusal(await admin('DELETE', '/v1/certificates/A01'), 409, 'Admin.Conflict');
    expectRefusal(await admin('DELETE', '/v1/certificates/BAD'), 404, 'Admin.NotFound');
    expectRefusal(await admin('DELETE', '/v1/certificates/not-hex'), 400, 'Admin.InvalidInput');
    expect((await admin('DELETE', `/v1/subsystems/${enc(temp)}/certificates`)).json.revoked).toEqual([expect.objectContaining({ serial: 'A02', subsystemId: temp })]);
    expect((await admin('GET', '/v1/certificates')).json.length).toBeGreaterThanOrEqual(2);
  });

  it('groups and their members', async () => {
    const temp = 'IR/GOV/TEMP/app';
    expect((await admin('POST', '/v1/groups', { body: { groupCode: 'temps', description: 'Temporary' } })).status).toBe(201);
    expectRefusal(await admin('POST', '/v1/groups', { body: { groupCode: 'temps', description: 'again' } }), 409, 'Admin.AlreadyExists');
    expect((await admin('POST', `/v1/groups/${enc('IR/temps')}/members`, { body: { subsystemId: temp } })).status).toBe(201);
    expectRefusal(await admin('POST', `/v1/groups/${enc('IR/temps')}/members`, { body: { subsystemId: temp } }), 409, 'Admin.AlreadyExists');
    expectRefusal(await admin('POST', `/v1/groups/${enc('IR/nobody')}/members`, { body: { subsystemId: temp } }), 404, 'Admin.NotFound');
    expect((await admin('DELETE', `/v1/groups/${enc('IR/temps')}/members/${enc(temp)}`)).status).toBe(204);
    expectRefusal(await admin('DELETE', `/v1/groups/${enc('IR/temps')}/members/${enc(temp)}`), 404, 'Admin.NotFound');
  });

  it('services and provider hosts', async () => {
    const service = (code: string, baseUrl: string, method = 'POST') =>
      admin(method, method === 'POST' ? '/v1/services' : `/v1/services/${enc(`IR/GOV/NOCR/identity/${code}`)}`,
        { body: { serviceId: `IR/GOV/NOCR/identity/${code}`, title: 'x', baseUrl, contract: PERSON_CONTRACT } });
    expectRefusal(await admin('POST', '/v1/services', {
      body: { serviceId: 'IR/GOV/NOCR/identity/bad', title: 'bad', baseUrl: ctx.provider.baseUrl, contract: { openapi: '3.0.0', paths: {} } },
    }), 400, 'Admin.InvalidContract');
    expectRefusal(await service('local', 'http://127.0.0.2:9/x'), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/services', {
      body: { serviceId: 'IR/GOV/NOCR/identity/slow', title: 'x', baseUrl: ctx.provider.baseUrl, contract: PERSON_CONTRACT, timeoutMs: 0 },
    }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/services', {
      body: { serviceId: 'IR/GOV/NOBODY/app/x', title: 'x', baseUrl: ctx.provider.baseUrl, contract: PERSON_CONTRACT },
    }), 404, 'Admin.NotFound');

    expect((await admin('POST', '/v1/provider-hosts', { body: { host: '127.0.0.2', note: 'an agency on this machine' } })).json).toEqual({ entry: '127.0.0.2' });
    expectRefusal(await admin('POST', '/v1/provider-hosts', { body: { host: '0x7f.0.0.2' } }), 409, 'Admin.AlreadyExists');
    expect((await service('local', 'http://127.0.0.2:9/x')).status).toBe(201);
    expectRefusal(await service('local', 'http://127.0.0.2:9/x'), 409, 'Admin.AlreadyExists');
    expect((await service('local', 'http://127.0.0.2:10/x', 'PUT')).json).toEqual({ id: 'IR/GOV/NOCR/identity/local' });
    expectRefusal(await admin('PUT', `/v1/services/${enc('IR/GOV/NOCR/identity/other')}`, {
      body: { serviceId: 'IR/GOV/NOCR/identity/local', title: 'x', baseUrl: 'http://127.0.0.2:10/x', contract: PERSON_CONTRACT },
    }), 400, 'Admin.InvalidInput');
    expect((await admin('GET', '/v1/provider-hosts')).json).toEqual(expect.arrayContaining([expect.objectContaining({ entry: '127.0.0.2', port: null })]));
    expectRefusal(await admin('DELETE', '/v1/provider-hosts/127.0.0.2'), 409, 'Admin.Conflict');
    expect((await admin('DELETE', `/v1/services/${enc('IR/GOV/NOCR/identity/local')}`)).status).toBe(204);
    expectRefusal(await admin('DELETE', `/v1/services/${enc('IR/GOV/NOCR/identity/local')}`), 404, 'Admin.NotFound');
    expectRefusal(await admin('GET', `/v1/services/${enc('IR/GOV/NOCR/identity/local')}`), 404, 'Admin.NotFound');
    expect((await admin('DELETE', '/v1/provider-hosts/127.0.0.2')).status).toBe(204);
    expectRefusal(await admin('DELETE', '/v1/provider-hosts/127.0.0.2'), 404, 'Admin.NotFound');
    expectRefusal(await admin('DELETE', `/v1/provider-hosts/${enc('not a host')}`), 400, 'Admin.InvalidInput');
  });

  it('access rights: granted, refused when misspelt or unknown, revoked', async () => {
    const granted = await admin('POST', '/v1/access-rights', { body: { subject: POLICE, serviceId: SERVICE, legalBasis: 'Traffic act, art. 9' } });
    expect(granted.status).toBe(201);
    expect(Number.isInteger(granted.json.id)).toBe(true);
    const endpoint = await admin('POST', '/v1/access-rights', {
      body: { subject: 'IR/temps', serviceId: SERVICE, method: 'GET', path: '/persons/{nationalCode}', legalBasis: 'x', validUntil: '2099-01-01T00:00:00Z' },
    });
    expect(endpoint.status).toBe(201);
    expectRefusal(await admin('POST', '/v1/access-rights', { body: { subject: POLICE, serviceId: SERVICE, legalBasis: 'x', validuntil: '2020-01-01T00:00:00Z' } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/access-rights', { body: { subject: POLICE, serviceId: SERVICE, method: 'GET', path: '/nowhere', legalBasis: 'x' } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/access-rights', { body: { subject: JUDICIARY, serviceId: `${SERVICE}-none`, legalBasis: 'x' } }), 404, 'Admin.NotFound');
    expect((await admin('GET', '/v1/access-rights')).json).toEqual(expect.arrayContaining([expect.objectContaining({ id: endpoint.json.id, subject_type: 'group' })]));
    for (const id of [granted.json.id, endpoint.json.id]) expect((await admin('DELETE', `/v1/access-rights/${id}`)).status).toBe(204);
    expectRefusal(await admin('DELETE', `/v1/access-rights/${granted.json.id}`), 404, 'Admin.NotFound');
    expectRefusal(await admin('DELETE', '/v1/access-rights/first'), 400, 'Admin.InvalidInput');
  });

  it('removals in the order things were built', async () => {
    expect((await admin('DELETE', `/v1/subsystems/${enc('IR/GOV/TEMP/app')}`)).status).toBe(204);
    expect((await admin('DELETE', `/v1/members/${enc('IR/GOV/TEMP')}`)).status).toBe(204);
    expect((await admin('GET', '/v1/changes')).json.map((c: { action: string }) => c.action)).toEqual(expect.arrayContaining(['subsystem.remove', 'member.remove']));
  });
});

describe('oversight data: service levels, savings, baselines, mandates, the UN survey', () => {
  const sla = { availabilityPercent: 99.5, p95LatencyMs: 800, maxRatePerSecond: 1000, supportHours: { days: 'sat-wed', from: '08:00', to: '16:00' } };

  it('service levels: set, read, listed, refused when ill-formed, removed; the maximum rate is the service\'s enforced rate', async () => {
    const set = await admin('PUT', `/v1/services/${enc(SERVICE)}/sla`, { body: sla });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ serviceId: SERVICE, ...sla, enforcedRatePerSecond: 1000 });
    expect((await ctx.t.node.registry.getService(SERVICE)).max_rate_per_second).toBe(1000);
    expect((await admin('GET', `/v1/services/${enc(SERVICE)}/sla`)).json).toMatchObject({ availabilityPercent: 99.5 });
    expect((await admin('GET', '/v1/slas')).json).toEqual([expect.objectContaining({ serviceId: SERVICE })]);
    expectRefusal(await admin('PUT', `/v1/services/${enc(SERVICE)}/sla`, { body: { ...sla, availabilityPercent: 101 } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('PUT', `/v1/services/${enc(SERVICE)}/sla`, { body: { ...sla, supportHours: { days: 'sat-wed', from: '16:00', to: '08:00' } } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('PUT', `/v1/services/${enc(SERVICE)}/sla`, { body: { ...sla, maxrate: 5 } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('PUT', `/v1/services/${enc(`${SERVICE}-none`)}/sla`, { body: sla }), 404, 'Admin.NotFound');
    expect((await admin('DELETE', `/v1/services/${enc(SERVICE)}/sla`)).status).toBe(204);
    expectRefusal(await admin('DELETE', `/v1/services/${enc(SERVICE)}/sla`), 404, 'Admin.NotFound');
    expectRefusal(await admin('GET', `/v1/services/${enc(SERVICE)}/sla`), 404, 'Admin.NotFound');
  });

  it('savings and baselines: set, read back, refused when out of range', async () => {
    expect((await admin('PUT', `/v1/services/${enc(SERVICE)}/savings`, { body: { visits: 1, letters: 0.5 } })).json).toMatchObject({ serviceId: SERVICE, visits: 1, letters: 0.5 });
    expect((await admin('GET', `/v1/services/${enc(SERVICE)}/savings`)).json).toMatchObject({ letters: 0.5 });
    expect((await admin('GET', '/v1/savings')).json).toHaveLength(1);
    expectRefusal(await admin('PUT', `/v1/services/${enc(SERVICE)}/savings`, { body: { visits: -1, letters: 0 } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('GET', `/v1/services/${enc(`${SERVICE}-none`)}/savings`), 404, 'Admin.NotFound');

    const nocr = enc('IR/GOV/NOCR');
    expect((await admin('PUT', `/v1/members/${nocr}/baselines/1396`, { body: { visits: 12_000_000, note: 'declared in 1397' } })).json)
      .toMatchObject({ memberId: 'IR/GOV/NOCR', year: 1396, visits: 12_000_000 });
    expect((await admin('GET', `/v1/members/${nocr}/baselines/1396`)).json).toMatchObject({ note: 'declared in 1397' });
    expect((await admin('GET', '/v1/baselines')).json).toHaveLength(1);
    expectRefusal(await admin('PUT', `/v1/members/${nocr}/baselines/96`, { body: { visits: 1 } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('PUT', `/v1/members/${enc('IR/GOV/NOBODY')}/baselines/1396`, { body: { visits: 1 } }), 404, 'Admin.NotFound');
    expectRefusal(await admin('GET', `/v1/members/${nocr}/baselines/1395`), 404, 'Admin.NotFound');
  });

  it('mandates: added, replaced, read, refused with an unknown condition, removed', async () => {
    const mandate = {
      titleFa: 'استعلام الکترونیکی مدرک بدون نامه', titleEn: 'Electronic degree verification, no paper', resolution: 'session 12, resolution 4',
      responsibleMember: 'IR/GOV/NOCR', deadline: '1400/06/31', condition: { kind: 'service-offered', service: 'IR/GOV/MSRT/degrees/degree' },
    };
    expect((await admin('PUT', '/v1/mandates/WG-1', { body: mandate })).status).toBe(201);
    expect((await admin('PUT', '/v1/mandates/WG-1', { body: { ...mandate, responsibleMember: null } })).json).toMatchObject({ id: 'WG-1', responsibleMember: null });
    expect((await admin('GET', '/v1/mandates/WG-1')).json.condition).toEqual(mandate.condition);
    expect((await admin('GET', '/v1/mandates')).json).toHaveLength(1);
    expectRefusal(await admin('PUT', '/v1/mandates/WG-2', { body: { ...mandate, condition: { kind: 'everything-fine' } } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('PUT', '/v1/mandates/WG-2', { body: { ...mandate, deadline: '00/06/31' } }), 400, 'Admin.InvalidInput');
    expect((await admin('DELETE', '/v1/mandates/WG-1')).status).toBe(204);
    expectRefusal(await admin('GET', '/v1/mandates/WG-1'), 404, 'Admin.NotFound');
    expectRefusal(await admin('DELETE', '/v1/mandates/WG-1'), 404, 'Admin.NotFound');
  });

  it('the UN survey: services added and mapped, refused when a mapped service is unknown', async () => {
    const body = { titleFa: 'کارت شناسایی ملی', titleEn: 'Personal ID card', services: [SERVICE] };
    expect((await admin('PUT', '/v1/survey/personal-id-card', { body })).status).toBe(201);
    expect((await admin('PUT', '/v1/survey/personal-id-card', { body: { ...body, services: [] } })).json).toMatchObject({ services: [] });
    expect((await admin('GET', '/v1/survey/personal-id-card')).json).toMatchObject({ titleEn: 'Personal ID card' });
    expect((await admin('GET', '/v1/survey')).json).toHaveLength(1);
    expectRefusal(await admin('PUT', '/v1/survey/personal-id-card', { body: { ...body, services: [`${SERVICE}-none`] } }), 404, 'Admin.NotFound');
    expectRefusal(await admin('GET', '/v1/survey/nothing'), 404, 'Admin.NotFound');
  });
});

describe('statistics', () => {
  it('answers a Jalali period by each grouping, and refuses a date that is not Jalali', async () => {
    for (const by of ['provider', 'consumer', 'service', 'province', 'day', 'month', 'year']) {
      expect((await admin('GET', `/v1/stats?from=1399/01/01&to=1399/12/30&by=${by}`)).json).toMatchObject({ by, from: '1399/01/01' });
    }
    expect((await admin('GET', '/v1/stats?compare=false')).status).toBe(200);
    expectRefusal(await admin('GET', '/v1/stats?from=99/01/01'), 400, 'Admin.InvalidInput');
    expect((await admin('GET', '/v1/witnessed/p23')).json).toEqual({ format: 'tabadol-heads/1', heads: [] });
    expect((await admin('GET', '/v1/reports/1399')).json).toMatchObject({ year: 1399, savings: { targetPercent: 12.5 } });
    expectRefusal(await admin('GET', '/v1/reports/99'), 400, 'Admin.InvalidInput');
  });
});

describe('the exchange\'s nodes', () => {
  it('registers a province with its node port, lists it, keeps one node per province, and removes it', async () => {
    const p07 = { id: 'p07', role: 'provincial', province: '07', url: 'https://10.7.0.5:5500' };
    expect((await admin('POST', '/v1/nodes', { body: p07 })).status).toBe(201);
    expect((await admin('GET', '/v1/nodes')).json).toMatchObject([{ id: 'p07', province: '07', url: 'https://10.7.0.5:5500', recordKeyId: null }]);
    expectRefusal(await admin('POST', '/v1/nodes', { body: { ...p07, id: 'p07b' } }), 409, 'Admin.Conflict');
    expectRefusal(await admin('POST', '/v1/nodes', { body: { ...p07, id: 'p08', province: '08', url: 'http://10.8.0.5:5500' } }), 400, 'Admin.InvalidInput');
    expect((await admin('DELETE', '/v1/nodes/p07')).status).toBe(204);
    expectRefusal(await admin('DELETE', '/v1/nodes/p07'), 404, 'Admin.NotFound');
  });
});

describe('compliance: visits avoided, service levels, mandates, violations, the UN survey', () => {
  it('answers each report, keeps a closed month\'s evaluation, gives the violations as JSON or CSV, and refuses an open month', async () => {
    expect((await admin('PUT', `/v1/services/${enc(SERVICE)}/sla`, { body: { availabilityPercent: 99, p95LatencyMs: 800, maxRatePerSecond: 1000, supportHours: '24/7' } })).status).toBe(200);
    expect((await admin('GET', '/v1/savings-report?from=1399/01/01&to=1399/12/30')).json).toMatchObject({ from: '1399/01/01', targetPercent: 12.5 });
    expect((await admin('POST', '/v1/sla-evaluations', { body: { month: '1399/07' } })).json).toEqual([expect.objectContaining({ serviceId: SERVICE, month: '1399/07' })]);
    expect((await admin('GET', '/v1/sla-compliance?month=1399/07')).json).toMatchObject({ month: '1399/07', services: 1, compliant: 1 });
    expect((await admin('GET', '/v1/sla-breaches?month=1399/07')).json).toEqual([]);
    expect((await admin('GET', '/v1/mandate-status')).status).toBe(200);
    expect((await admin('GET', '/v1/violations/1399/07')).json).toMatchObject({ month: '1399/07', counts: { slaBreaches: 0 } });
    const csv = await admin('GET', '/v1/violations/1399/07?format=csv');
    expect(csv.text.startsWith('month,agency_id,')).toBe(true);
    expect((await admin('GET', '/v1/survey-status?from=1399/01/01&to=1399/12/30')).json).toMatchObject({ summary: expect.stringMatching(/of \d+ online/) });
    expectRefusal(await admin('POST', '/v1/sla-evaluations', { body: { month: '1499/07' } }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('GET', '/v1/violations/99/07'), 400, 'Admin.InvalidInput');
  });
});

describe('a caller\'s mistake', () => {
  let changesBefore: number;
  beforeAll(async () => { changesBefore = (await admin('GET', '/v1/changes')).json[0].id; });
  afterAll(async () => {
    // Nothing was written: the newest change is the one before the mistakes.
    expect((await admin('GET', '/v1/changes')).json[0].id).toBe(changesBefore);
  });

  const member = { memberClass: 'GOV', memberCode: 'MISTAKE', name: 'Mistake' };

  it('malformed JSON is a 400 that does not quote the body', async () => {
    const res = await admin('POST', '/v1/members', { raw: '{"memberClass": "GOV", "memberCode": 0012345679', contentType: 'application/json' });
    expectRefusal(res, 400, 'Admin.InvalidInput');
    expect(res.json.message).not.toContain('0012345679');
    expectRefusal(await admin('POST', '/v1/members', { raw: '{"__proto__": {"admin": true}, "memberClass": "GOV"}', contentType: 'application/json' }), 400, 'Admin.InvalidInput');
  });

  it('an empty body, or none, where one is required is a 400', async () => {
    expectRefusal(await admin('POST', '/v1/members', { raw: '', contentType: 'application/json' }), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/groups'), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('POST', '/v1/members', { body: [member] }), 400, 'Admin.InvalidInput');
  });

  it('a field the route does not take is named in a 400', async () => {
    const res = await admin('POST', '/v1/members', { body: { ...member, memberclass: 'COM' } });
    expectRefusal(res, 400, 'Admin.InvalidInput');
    expect(res.json.message).toContain('memberclass');
  });

  it('a body over the limit is a 413', async () => {
    const big = JSON.stringify({ ...member, name: 'x'.repeat(1024 * 1024) });
    expectRefusal(await admin('POST', '/v1/members', { raw: big, contentType: 'application/json' }), 413, 'Admin.BodyTooLarge');
  });

  it('a body that is not JSON is a 415, whatever the route does with bodies', async () => {
    expectRefusal(await admin('POST', '/v1/members', { raw: JSON.stringify(member), contentType: 'text/plain' }), 415, 'Admin.UnsupportedMediaType');
    expectRefusal(await admin('POST', '/v1/members', { raw: 'memberClass=GOV', contentType: 'application/x-www-form-urlencoded' }), 415, 'Admin.UnsupportedMediaType');
    expectRefusal(await admin('POST', '/v1/members', { raw: JSON.stringify(member) }), 415, 'Admin.UnsupportedMediaType');
    expectRefusal(await admin('DELETE', `/v1/members/${enc('IR/GOV/POLICE')}`, { raw: 'yes', contentType: 'text/plain' }), 415, 'Admin.UnsupportedMediaType');
  });

  it('an unknown route is a 404, a known path with another method a 405 naming the methods it takes', async () => {
    expectRefusal(await admin('GET', '/v1/nothing-here'), 404, 'Admin.NotFound');
    expectRefusal(await admin('POST', '/v2/members', { body: member }), 404, 'Admin.NotFound');
    const wrong = await admin('PATCH', `/v1/services/${enc(SERVICE)}`, { body: { title: 'x' } });
    expectRefusal(wrong, 405, 'Admin.MethodNotAllowed');
    expect(wrong.headers.allow).toBe('DELETE, GET, HEAD, PUT');
    expect((await admin('PUT', '/v1/members', { body: member })).headers.allow).toBe('GET, HEAD, POST');
    // Without the token the route map is not revealed.
    expectRefusal(await admin('GET', '/v1/nothing-here', { token: null }), 401, 'Admin.Unauthenticated');
    expectRefusal(await admin('PATCH', '/v1/members', { token: null }), 401, 'Admin.Unauthenticated');
  });

  it('a path parameter that is not valid percent-encoding is a 400, after the token check', async () => {
    const res = await admin('GET', '/v1/services/IR%2FGOV%zz');
    expectRefusal(res, 400, 'Admin.InvalidInput');
    expect(res.text).not.toContain('%zz');
    expectRefusal(await admin('DELETE', '/v1/members/%E0%A4%A'), 400, 'Admin.InvalidInput');
    expectRefusal(await admin('GET', '/v1/services/IR%2FGOV%zz', { token: null }), 401, 'Admin.Unauthenticated');
  });
});

describe('a failure of the node', () => {
  it('is a 500 InternalError naming its log entry, with no stack or cause in the answer', async () => {
    const lines: string[] = [];
    const app = await createAdminApp({
      log: pino({ level: 'debug' }, { write: (line: string) => { lines.push(line); } }),
      adminToken: 'token',
      registry: { listMembers: () => Promise.reject(new Error('SQLITE_IOERR: disk I/O error in /var/lib/tabadol/registry.db')) },
      snapshots: { current: undefined },
      metricsText: () => Promise.resolve({ contentType: 'text/plain', text: '' }),
      afterChange: () => Promise.resolve(),
    } as unknown as AdminDeps);
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/members', headers: { authorization: 'Bearer token' } });
      const answer: Answer = { status: res.statusCode, headers: res.headers as Answer['headers'], text: res.body, json: res.json() };
      checkAgainstDocument('GET', '/v1/members', answer);
      expectRefusal(answer, 500, 'Server.ServerProxy.InternalError');
      expect(res.body).not.toMatch(/SQLITE|registry\.db/);
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; detail?: string; route?: string }).find((l) => l.msg === 'admin API failed');
      expect(logged).toMatchObject({ detail: answer.json.detail, route: '/v1/members' });
    } finally {
      await app.close();
    }
  });
});

describe('the document and the answers', () => {
  it('every operation was answered with a success, and every refusal status was seen', () => {
    for (const { method, template } of templates) {
      expect([...answered].some((a) => a.startsWith(`${method} ${template} 2`)), `${method} ${template} never succeeded here`).toBe(true);
    }
    for (const status of [400, 401, 404, 405, 409, 413, 415]) {
      expect([...answered].some((a) => a.endsWith(` ${status}`)), `no ${status} seen`).toBe(true);
    }
  });
});
