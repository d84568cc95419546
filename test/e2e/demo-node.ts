// The node the browser tests drive: `tabadol demo` as a process of its own (every port 0, the
// portal's rate limit off: one browser opens many pages and assets from one address), its printed
// guide parsed for the addresses, the admin token read from the data directory, and plain HTTP
// helpers for what a test does beside the browser (the admin API, inquiries on the data port).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { CLI, ROOT } from '../cli-entry.ts';

export interface DemoAccount { username: string; password: string; role: string }

export interface DemoNode {
  dataDir: string;
  /** http://127.0.0.1:port of each. */
  admin: string;
  data: string;
  portal: string;
  /** Everything the demo printed so far (stdout and stderr). */
  output(): string;
  /** The demo's accounts as its guide prints them; empty when the guide prints none. */
  accounts: DemoAccount[];
  adminToken: string;
  /** GET on the admin API with the operator's bearer token; the parsed JSON answer. */
  adminGet<T = unknown>(pathAndQuery: string): Promise<{ status: number; body: T }>;
  /** One inquiry on the plain-HTTP data port as `client`. */
  inquire(client: string, pathAndQuery: string, o?: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string }>;
  stop(): Promise<void>;
}

const READY_MS = 120_000;
const STOP_MS = 20_000;

/** The first http://127.0.0.1:N origin on a guide line that starts with `label`. */
function originOf(guide: string, label: RegExp): string | undefined {
  for (const line of guide.split('\n')) {
    const m = /^\s+([^\n]*?)\s{2,}(http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):\d+)/.exec(line);
    if (m && label.test(m[1]!)) return m[2];
  }
  return undefined;
}

/** The demo's accounts from its guide: lines `  <user>  <password>  role <role>`. */
export function accountsOf(guide: string): DemoAccount[] {
  const found: DemoAccount[] = [];
  for (const line of guide.split('\n')) {
    const m = /^\s+([a-z][a-z0-9._-]+)\s+(\S+)\s+role\s+(operator|overseer|inspector)\s*$/.exec(line);
    if (m) found.push({ username: m[1]!, password: m[2]!, role: m[3]! });
  }
  return found;
}

export async function startDemo(): Promise<DemoNode> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-e2e-'));
  let out = '';
  const child: ChildProcess = spawn(process.execPath, [...CLI.execArgv, CLI.module, '--data', dataDir, 'demo',
    '--admin-port', '0', '--no-tls', '--http-port', '0', '--agency-port', '0', '--portal-port', '0', '--portal-rate', '0', '--node-port', '0'],
  { cwd: ROOT, env: { ...process.env, TABADOL_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { out += s; });

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
      await exited;
      clearTimeout(killer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  try {
    // The guide ends with "Stop with Ctrl-C." once every port is open and the registry is seeded.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { cleanup(); reject(new Error(`the demo did not print its guide within ${READY_MS / 1000} s:\n${out.slice(-4000)}`)); }, READY_MS);
      const check = () => { if (/Stop with Ctrl-C\./.test(out)) { cleanup(); resolve(); } };
      const exited = (code: number | null) => { cleanup(); reject(new Error(`the demo exited (${code}) before it was ready:\n${out.slice(-4000)}`)); };
      const cleanup = () => { clearTimeout(timer); child.stdout!.off('data', check); child.off('exit', exited); };
      child.stdout!.on('data', check);
      child.once('exit', exited);
      check();
    });
  } catch (e) {
    await stop();
    throw e;
  }

  const guide = out;
  const admin = originOf(guide, /^admin API$/);
  const data = originOf(guide, /^data \(HTTP\)$/);
  const portal = originOf(guide, /^(portal|dashboard)\b/i) ?? originOf(guide, /^citizen page$/);
  if (!admin || !data || !portal) {
    await stop();
    throw new Error(`the demo's guide lacks an address (admin ${admin}, data ${data}, portal ${portal}):\n${guide}`);
  }
  const adminToken = (await readFile(path.join(dataDir, 'keys', 'admin-token'), 'utf8')).trim();
  const agent = new Agent({ keepAliveTimeout: 1000 });

  return {
    dataDir, admin, data, portal, adminToken,
    output: () => out,
    accounts: accountsOf(guide),
    async adminGet<T>(p: string) {
      const res = await request(`${admin}${p}`, { headers: { authorization: `Bearer ${adminToken}` }, dispatcher: agent });
      return { status: res.statusCode, body: await res.body.json() as T };
    },
    async inquire(client, p, o = {}) {
      const res = await request(`${data}${p}`, {
        method: o.method ?? 'GET', body: o.body, dispatcher: agent,
        headers: { 'x-road-client': client, ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers },
      });
      return { status: res.statusCode, text: await res.body.text() };
    },
    async stop() {
      await agent.close();
      await stop();
    },
  };
}
