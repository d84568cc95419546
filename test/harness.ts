// Test harness: a real node (SQLite store, writer thread, real ports on 127.0.0.1:0) in front of a
// scriptable test provider, with a small registry seeded through the same operations as the admin API.
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { pino } from 'pino';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { request, Agent } from 'undici';
import { defaultConfig, type NodeConfig } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/node.ts';
import { CLI } from './cli-entry.ts';
import Database from 'better-sqlite3';

export type ProviderHandler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

/** A provider whose behaviour each test sets; it answers the contract below by default. */
export async function startTestProvider(host = '127.0.0.1') {
  const calls: { method: string; url: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  let handler: ProviderHandler = defaultProvider;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      calls.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handler(req, body, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    baseUrl: `http://${host}:${port}/nocr`,
    calls,
    set(h: ProviderHandler) { handler = h; },
    reset() { handler = defaultProvider; calls.length = 0; },
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

export const defaultProvider: ProviderHandler = (req, body, res) => {
  const url = new URL(req.url!, 'http://x');
  const m = /^\/nocr\/persons\/(\d{10})$/.exec(url.pathname);
  if (req.method === 'GET' && m) {
    res.writeHead(200, { 'content-type': 'application/json', 'x-provider-header': 'kept' });
    res.end(JSON.stringify({ nationalCode: m[1], firstName: 'علی', lastName: 'رضایی', secretField: 'must be dropped' }));
    return;
  }
  if (req.method === 'POST' && url.pathname === '/nocr/verify') {
    const b = JSON.parse(body) as { nationalCode: string; mobile: string };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ matches: b.mobile === '09121234567' }));
    return;
  }
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: 'not_found' }));
};

export const PERSON_CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'Person inquiry (test)', version: '1' },
  paths: {
    '/persons/{nationalCode}': {
      get: {
        parameters: [
          { name: 'nationalCode', in: 'path', required: true, 'x-tabadol-subject': true, schema: { type: 'string', pattern: '^[0-9]{10}$' } },
          { name: 'purpose', in: 'query', required: false, schema: { type: 'string', maxLength: 50 } },
        ],
        responses: {
          '200': {
            description: 'found',
            content: { 'application/json': { schema: {
              type: 'object', required: ['nationalCode', 'firstName', 'lastName'],
              properties: { nationalCode: { type: 'string' }, firstName: { type: 'string' }, lastName: { type: 'string' } },
            } } },
          },
        },
      },
    },
    '/verify': {
      post: {
        requestBody: {
          required: true,
          content: { 'application/json': { schema: {
            type: 'object', required: ['nationalCode', 'mobile'], additionalProperties: false,
            properties: { nationalCode: { type: 'string', pattern: '^[0-9]{10}$', 'x-tabadol-subject': true }, mobile: { type: 'string', pattern: '^09[0-9]{9}$' } },
          } } },
        },
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: {
          type: 'object', required: ['matches'], properties: { matches: { type: 'boolean' } },
        } } } } },
      },
    },
  },
};

export const SERVICE = 'IR/GOV/NOCR/identity/person';
export const POLICE = 'IR/GOV/POLICE/licensing';
export const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';

/** Repeats `fn` until `ok` holds or the time is up, and returns the last result: a wait on a
 * condition, never on a fixed sleep. */
export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `probe` gives a value (not undefined or false) and returns it; throws, naming `what`,
 * when the time is up. */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Puts a loopback provider on the operator's allow-list (once: allowing it again is a conflict). */
export async function allowHost(node: Pick<RunningNode, 'registry'>, host: string): Promise<void> {
  const allowed = await node.registry.listProviderHosts();
  if (!allowed.some((a) => a.entry === host)) await node.registry.allowProviderHost(host, 'test provider');
}

export async function seedRegistry(node: Pick<RunningNode, 'registry'>, baseUrl: string, opts: { timeoutMs?: number } = {}) {
  const r = node.registry;
  await r.addMember({ memberClass: 'GOV', memberCode: 'NOCR', name: 'National Organization for Civil Registration' });
  await r.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' });
  await r.addMember({ memberClass: 'GOV', memberCode: 'JUDICIARY', name: 'Judiciary' });
  await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity' });
  await r.addSubsystem({ subsystemId: POLICE });
  await r.addSubsystem({ subsystemId: JUDICIARY });
  // The test provider listens on loopback, which the registry refuses unless the operator allows it.
  await allowHost(node, new URL(baseUrl).host);
  await r.putService({ serviceId: SERVICE, title: 'Person by national code', baseUrl, contract: PERSON_CONTRACT, timeoutMs: opts.timeoutMs ?? 2000 });
  // The judiciary may call the whole service; the police only the verify endpoint.
  await r.grant({ subject: JUDICIARY, serviceId: SERVICE, legalBasis: 'Judiciary act, art. 1' });
  await r.grant({ subject: POLICE, serviceId: SERVICE, method: 'POST', path: '/verify', legalBasis: 'Traffic act, art. 2' });
}

export interface TestNode {
  node: RunningNode;
  dataDir: string;
  http(pathAndQuery: string, o?: { method?: string; headers?: Record<string, string | string[]>; body?: string }): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => any }>;
  /** Loads the newest snapshot now instead of waiting for the poll. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

export async function startTestNode(overrides: Partial<NodeConfig> = {}): Promise<TestNode> {
  const dataDir = overrides.dataDir ?? await mkdtemp(path.join(os.tmpdir(), 'tabadol-node-'));
  const config = defaultConfig({
    adminPort: 0, tlsPort: 0, tlsHost: '127.0.0.1', httpPort: 0, checkpointIntervalMs: 0, logLevel: 'silent', snapshotPollMs: 200,
    ...overrides, dataDir,
  });
  const node = await startNode(config, pino({ level: 'silent' }));
  const agent = new Agent({ keepAliveTimeout: 1000 });
  return {
    node,
    dataDir,
    async http(p, o = {}) {
      const res = await request(`http://127.0.0.1:${node.ports.http}${p}`, {
        method: (o.method ?? 'GET') as 'GET', headers: o.headers, body: o.body, dispatcher: agent,
      });
      const text = await res.body.text();
      return { status: res.statusCode, headers: res.headers as Record<string, string | string[] | undefined>, text, json: () => JSON.parse(text) };
    },
    sync: () => node.syncSnapshot(),
    async close() {
      await agent.close();
      await node.close();
      if (!overrides.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Seeds the registry of a data directory, as the CLI would, before a node process opens it. */
export async function seedDataDir(dataDir: string, baseUrl: string): Promise<void> {
  const opened = await openRegistryAt(dataDir);
  await seedRegistry(opened, baseUrl);
  await opened.close();
}

export interface NodeProcess { child: ChildProcess; ports: { http: number; admin: number }; pids: number[] }

/** Runs `tabadol start` as a process of its own on a data directory and waits for its ports: the data
 * ports only, no portal and no node port, which the tests of processes do not use and which would
 * only lengthen every start on a busy machine. */
export function forkNode(dataDir: string, workers = 1): Promise<NodeProcess> {
  // Compiled when dist/ is up to date (it starts in half the time), else from the source.
  const child = fork(CLI.module, ['--data', dataDir, 'start', '--http-port', '0', '--no-tls', '--admin-port', '0', '--no-portal', '--no-node-port', '--workers', String(workers)], {
    execArgv: CLI.execArgv, env: { ...process.env, TABADOL_LOG_LEVEL: 'silent' }, stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ports: NodeProcess['ports']; pids: number[] }) => resolve({ child, ports: m.ports, pids: m.pids }));
    child.once('exit', (code) => reject(new Error(`node exited with ${code}`)));
  });
}

export function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((r) => { child.once('exit', () => r()); child.kill('SIGTERM'); });
}

/** A node with the test provider and the seeded registry, for one test file. */
export function useSeededNode(o: { timeoutMs?: number; node?: Partial<NodeConfig> } = {}) {
  const ctx = {} as { t: TestNode; provider: Awaited<ReturnType<typeof startTestProvider>> };
  beforeAll(async () => {
    ctx.provider = await startTestProvider();
    ctx.t = await startTestNode(o.node);
    await seedRegistry(ctx.t.node, ctx.provider.baseUrl, { timeoutMs: o.timeoutMs });
    await ctx.t.sync();
  });
  afterAll(async () => {
    await ctx.t.close();
    await ctx.provider.close();
  });
  beforeEach(() => ctx.provider.reset());
  return ctx;
}

/** The rows a query gives on an SQLite file, opened read-only for it alone (a node's records.db or
 * registry.db, as an auditor reads it beside the running node). */
export function readRows<T>(file: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}
