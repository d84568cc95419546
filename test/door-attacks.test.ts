// Attacks on the data door, replayed: each test is one way in that was found open, and fails if it
// opens again.
import net from 'node:net';
import { Readable } from 'node:stream';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { JUDICIARY, POLICE, SERVICE, useSeededNode } from './harness.ts';
import { rawRequest } from './raw-http.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { loadCa } from '../src/identity/ca.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';

const ctx = useSeededNode({ node: { headersTimeoutMs: 1000, requestTimeoutMs: 2000, maxBodyBytes: 64 * 1024 } });

const RECORDS = 'IR/GOV/NOCR/identity/records';
const STRANGER = 'IR/GOV/NOCR/stranger';
const ok = { description: 'ok', content: { 'application/json': { schema: { type: 'object', properties: { id: { type: 'string' } } } } } };
// The template is listed before the literal path on purpose: order must not decide the match.
const REPORTS = 'IR/GOV/NOCR/identity/reports';
const REPORTS_CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'Reports', version: '1' },
  paths: {
    '/reports/{y}-{m}-{d}': { get: { parameters: ['y', 'm', 'd'].map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })), responses: { '200': ok } } },
  },
};
const RECORDS_CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'Records', version: '1' },
  paths: {
    '/records/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': ok } } },
    '/records/admin-export': { get: { responses: { '200': ok } } },
  },
};

beforeAll(async () => {
  const r = ctx.t.node.registry;
  await r.putService({ serviceId: RECORDS, title: 'Records', baseUrl: ctx.provider.baseUrl, contract: RECORDS_CONTRACT });
  await r.grant({ subject: POLICE, serviceId: RECORDS, method: 'GET', path: '/records/{id}', legalBasis: 'Test act, art. 1' });
  await r.putService({ serviceId: REPORTS, title: 'Reports', baseUrl: ctx.provider.baseUrl, contract: REPORTS_CONTRACT });
  await r.grant({ subject: POLICE, serviceId: REPORTS, legalBasis: 'Test act, art. 2' });
  await r.addSubsystem({ subsystemId: STRANGER });
  await ctx.t.sync();
});

function answerWithPath() {
  ctx.provider.set((req, _body, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: req.url }));
  });
}

function records(): { xroad_id: string; client: string | null; endpoint: string | null; error_type: string | null; user_id: string | null }[] {
  const db = new Database(recordsFile(ctx.t.dataDir), { readonly: true });
  try {
    return db.prepare('select xroad_id, client, endpoint, error_type, user_id from records order by seq').all() as never;
  } finally {
    db.close();
  }
}

const police = { 'x-road-client': POLICE };

describe('paths are normalised once, then matched, authorised, recorded and forwarded alike', () => {
  it('matches an encoded literal path to the literal endpoint, which the right does not cover', async () => {
    answerWithPath();
    for (const p of ['/records/%61dmin-export', '/records/admin-export', '/records/%61%64%6D%69%6E-export']) {
      const res = await ctx.t.http(`/r1/${RECORDS}${p}`, { headers: police });
      expect(res.headers['x-road-error'], p).toBe('Server.ServerProxy.AccessDenied');
    }
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('forwards the normal form: unreserved escapes decoded, others upper-cased', async () => {
    answerWithPath();
    const res = await ctx.t.http(`/r1/${RECORDS}/records/%7e4%32%c3%a9`, { headers: { ...police, 'x-road-id': 'normal-form' } });
    expect(res.status).toBe(200);
    expect(ctx.provider.calls[0]!.url).toBe('/nocr/records/~42%C3%A9');
    expect(records().find((r) => r.xroad_id === 'normal-form')).toMatchObject({ endpoint: 'GET /records/{id}', client: POLICE });
  });

  it('refuses other spellings of a literal segment that lenient providers would route to it', async () => {
    answerWithPath();
    for (const p of ['/records/ADMIN-EXPORT', '/records/Admin-Export', '/records/admin-export.', '/records/admin-export%20', '/records/admin-export;x', '/records/..;']) {
      const res = await rawRequest(ctx.t.node.ports.http!, `GET /r1/${RECORDS}${p} HTTP/1.1\nHost: x\nX-Road-Client: ${POLICE}\nConnection: close\n`);
      expect(res.status, p).toBe(400);
    }
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('refuses a raw ";" in the query, which some providers read as a separator', async () => {
    const res = await ctx.t.http(`/r1/${SERVICE}/persons/0012345679?purpose=x;nationalCode=0000000000`, { headers: { 'x-road-client': JUDICIARY } });
    expect(res.headers['x-road-error']).toBe('Client.BadRequest');
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('matches a segment of several parameters in linear time, however long the segment', async () => {
    answerWithPath();
    const ok = await ctx.t.http(`/r1/${REPORTS}/reports/1403-01-02`, { headers: police });
    expect(ok.status).toBe(200);
    // A backtracking matcher took 31 s on 6,000 characters here (cubic in the segment's length).
    const res = await ctx.t.http(`/r1/${REPORTS}/reports/${'-'.repeat(12_000)}/`, { headers: police });
    expect(res.headers['x-road-error']).toBe('Client.InvalidRequest');
  });

  it('does not forward headers that make a provider run another method or path', async () => {
    answerWithPath();
    const res = await ctx.t.http(`/r1/${RECORDS}/records/42`, { headers: { ...police, 'x-http-method-override': 'DELETE', 'x-original-url': '/records/admin-export', 'x-rewrite-url': '/x', 'x-method-override': 'PUT', 'x-http-method': 'PATCH', 'x-forwarded-prefix': '/admin' } });
    expect(res.status).toBe(200);
    const sent = ctx.provider.calls[0]!.headers;
    for (const h of ['x-http-method-override', 'x-original-url', 'x-rewrite-url', 'x-method-override', 'x-http-method', 'x-forwarded-prefix']) expect(sent[h], h).toBeUndefined();
  });

  it('refuses a repeated Content-Type, which the node and the provider could read differently', async () => {
    const body = JSON.stringify({ nationalCode: '0012345679', mobile: '09121234567' });
    const res = await rawRequest(ctx.t.node.ports.http!,
      `POST /r1/${SERVICE}/verify HTTP/1.1\nHost: x\nX-Road-Client: ${POLICE}\nContent-Type: application/json\nContent-Type: application/x-www-form-urlencoded\nContent-Length: ${body.length}\nConnection: close\n`, body);
    expect(res.status).toBe(400);
    expect(res.headers['x-road-error']).toBe('Client.BadRequest');
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('refuses an encoded slash or backslash, and dot segments in any encoding', async () => {
    for (const p of ['/records/a%2Fb', '/records/a%2fb', '/records/a%5Cb', '/records/%2e%2e', '/records/.%2E', '/records/%2E']) {
      const res = await rawRequest(ctx.t.node.ports.http!, `GET /r1/${RECORDS}${p} HTTP/1.1\nHost: x\nX-Road-Client: ${POLICE}\nConnection: close\n`);
      expect(res.status, p).toBe(400);
      expect(res.headers['x-road-error'], p).toBe('Client.BadRequest');
    }
    expect(ctx.provider.calls).toHaveLength(0);
  });
});

describe('a caller without a right learns nothing about the service', () => {
  it('is denied for a known path, an unknown path and a wrong method alike', async () => {
    const answers = await Promise.all([
      ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': STRANGER } }),
      ctx.t.http(`/r1/${SERVICE}/no/such/path`, { headers: { 'x-road-client': STRANGER } }),
      ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { method: 'DELETE', headers: { 'x-road-client': STRANGER } }),
    ]);
    for (const a of answers) {
      expect(a.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
      expect(a.json().message).not.toMatch(/endpoint|path|persons|GET|DELETE/);
    }
  });
});

describe('what an anonymous caller can make the node write', () => {
  it('refuses X-Road-* values over 255 characters, and records none of them', async () => {
    const long = 'x'.repeat(256);
    for (const h of ['x-road-id', 'x-road-userid', 'x-road-issue', 'x-road-represented-party', 'x-road-anything']) {
      const res = await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, [h]: long } });
      expect(res.status, h).toBe(400);
      expect(res.headers['x-road-error']).toBe('Client.BadRequest');
    }
    const ok255 = await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-issue': 'i'.repeat(255) } });
    expect(ok255.status).toBe(200);
    expect(records().some((r) => r.xroad_id.length > 255 || (r.user_id?.length ?? 0) > 255)).toBe(false);
  });

  it('does not record refusals of callers it cannot identify', async () => {
    const before = records().length;
    const junk = 'j'.repeat(15_000);
    for (let i = 0; i < 30; i++) {
      const headers: Record<string, string> = { 'x-road-id': junk };
      if (i % 2) headers['x-road-client'] = 'IR/GOV/NOBODY/x';
      const res = await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers });
      expect(res.status).toBe(400);
    }
    await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': 'not an id' } });
    await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`);
    // An identified caller's refusal is still recorded, so the count moves by exactly one.
    await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': STRANGER, 'x-road-id': 'identified-refusal' } });
    const after = records();
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ xroad_id: 'identified-refusal', client: STRANGER, error_type: 'Server.ServerProxy.AccessDenied' });
  });
});

describe('limits before work', () => {
  it('refuses a declared body over the limit with 413 before reading it', async () => {
    // Only the headers are sent: the answer must come without the 200 MB ever arriving.
    const res = await rawRequest(ctx.t.node.ports.http!,
      `POST /r1/${SERVICE}/verify HTTP/1.1\nHost: x\nX-Road-Client: ${POLICE}\nContent-Type: application/json\nContent-Length: 200000000\n`);
    expect(res.status).toBe(413);
    expect(res.headers['x-road-error']).toBe('Client.BadRequest');
    expect(res.headers.connection).toBe('close');
  });

  it('stops reading a chunked body once it passes the limit', async () => {
    const socket = net.connect(ctx.t.node.ports.http!, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (answer += c));
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => { /* the node may close while the body is still being sent: that is the point */ });
    socket.write(`POST /r1/${SERVICE}/verify HTTP/1.1\r\nHost: x\r\nX-Road-Client: ${POLICE}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
    const chunk = 'a'.repeat(16 * 1024);
    // Keep sending until the node answers: it must answer long before the body ends (it never does).
    for (let i = 0; i < 1000 && answer === '' && !socket.destroyed; i++) {
      await new Promise<void>((r) => socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`, () => r()));
    }
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('closes a connection whose headers do not arrive in time', async () => {
    const socket = net.connect(ctx.t.node.ports.http!, '127.0.0.1');
    socket.resume();
    socket.write(`GET /r1/${SERVICE}/persons/0012345679 HTTP/1.1\r\nHost: x\r\nX-Road-Cli`);
    await new Promise<void>((r) => socket.on('close', () => r()));
  });

  it('closes a connection whose body does not arrive in time', async () => {
    const socket = net.connect(ctx.t.node.ports.http!, '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (answer += c));
    socket.write(`POST /r1/${SERVICE}/verify HTTP/1.1\r\nHost: x\r\nX-Road-Client: ${POLICE}\r\nX-Road-Id: slow-body\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"nation`);
    await new Promise<void>((r) => socket.on('close', () => r()));
    expect(ctx.provider.calls).toHaveLength(0);
    // The identified caller's cut-off request is recorded as refused.
    await expect.poll(() => records().find((r) => r.xroad_id === 'slow-body')?.error_type).toBe('Client.BadRequest');
  });
});

describe('on the TLS port every caller is verified', () => {
  const agents: Agent[] = [];
  async function tlsGet(p: string, headers: Record<string, string>, cert?: { certPem: string; keyPem: string }) {
    const agent = new Agent({ connect: { ca: ctx.t.node.tls!.caCertPem, cert: cert?.certPem, key: cert?.keyPem, servername: 'localhost' } });
    agents.push(agent);
    const res = await request(`https://localhost:${ctx.t.node.ports.tls}${p}`, { headers, dispatcher: agent });
    const text = await res.body.text();
    await agent.close();
    return { status: res.statusCode, error: res.headers['x-road-error'], text };
  }

  it('refuses listClients and every metaservice without a certificate of this exchange, and records none', async () => {
    const before = records().length;
    for (const p of ['/listClients', '/r1/IR/GOV/NOCR/identity/listMethods', '/r1/IR/GOV/NOCR/identity/allowedMethods', '/r1/IR/GOV/NOCR/identity/getOpenAPI?serviceCode=person']) {
      const res = await tlsGet(p, { 'x-road-client': JUDICIARY });
      expect(res.error, p).toBe('Client.SslAuthenticationFailed');
    }
    expect(records().slice(before)).toEqual([]);
  });

  it('does not read the body of a caller without a certificate, and closes its connection', async () => {
    const agent = new Agent({ connect: { ca: ctx.t.node.tls!.caCertPem, servername: 'localhost' } });
    agents.push(agent);
    // Declared, never sent: were the node to wait for it, this would not answer.
    const res = await request(`https://localhost:${ctx.t.node.ports.tls}/r1/${SERVICE}/verify`, {
      method: 'POST', dispatcher: agent,
      headers: { 'x-road-client': POLICE, 'content-type': 'application/json', 'content-length': '50000' },
      body: Readable.from((async function* () { yield Buffer.from('{'); await new Promise(() => {}); })()),
    });
    const text = await res.body.text();
    await agent.close().catch(() => {});
    expect(res.headers['x-road-error'], text).toBe('Client.SslAuthenticationFailed');
    expect(res.headers.connection).toBe('close');
  });

  it('answers listClients to a verified caller and records it under the certificate\'s subsystem', async () => {
    const cert = await issueSubsystemCertificate(await loadCa(ctx.t.node.tls!.caDir), JUDICIARY);
    const res = await tlsGet('/listClients', { 'x-road-id': 'list-over-tls' }, cert);
    expect(res.status).toBe(200);
    expect(records().find((r) => r.xroad_id === 'list-over-tls')).toMatchObject({ client: JUDICIARY });
  });
});
