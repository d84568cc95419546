// `npm run cluster` (scripts/cluster.mjs) as an operator runs it: one process that starts a centre
// running the demo and three provincial nodes, each a process with its own data directory, homes the
// simulated post on Fars (p07) and prints what to try. The three inquiries it prints are asked: one
// that stays in Fars (recorded on p07 only), one from Isfahan to Fars directly (recorded on p10 and
// on p07's routed chain, not at the centre) and one from Tehran to the centre (recorded on p23 and on
// the centre's routed chain). The printed curl commands, with the judiciary's client certificate at
// the provinces' TLS data ports, are run as printed.
import os from 'node:os';
import path from 'node:path';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './cli-entry.ts';
import { JUDICIARY, readRows, waitFor } from './harness.ts';

const ADDRESS = 'r1/IR/GOV/POST/address/address/addresses/1193653471';
const PERSON = 'r1/IR/GOV/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15';

let data: string;
let script: ChildProcess;
let printed = '';
const httpPort: Record<string, number> = {};

/** The records of `nodeId`'s data directory carrying an exchange's X-Road-Id, by chain. */
function recordsOf(nodeId: string, xroadId: string): { chain_id: string; service: string; status: number }[] {
  return readRows(path.join(data, nodeId, 'records.db'), 'select chain_id, service, status from records where xroad_id = ? order by chain_id', xroadId);
}

async function ask(nodeId: string, inquiry: string): Promise<{ status: number; xroadId: string; body: string }> {
  const res = await request(`http://127.0.0.1:${httpPort[nodeId]}/${inquiry}`, { headers: { 'x-road-client': JUDICIARY } });
  return { status: res.statusCode, xroadId: String(res.headers['x-road-id']), body: await res.body.text() };
}

const chainsOf = (nodeId: string, xroadId: string) => recordsOf(nodeId, xroadId).map((r) => r.chain_id);

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'tabadol-cluster-command-'));
  // Every port moved by one offset, away from a cluster or demo someone runs on the defaults.
  const offset = 20_000 + Math.floor(Math.random() * 300) * 100;
  script = spawn(process.execPath, [path.join(ROOT, 'scripts/cluster.mjs')], {
    cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TABADOL_CLUSTER_DATA: data, TABADOL_CLUSTER_PORT_OFFSET: String(offset), TABADOL_LOG_LEVEL: 'silent' },
  });
  script.stdout!.on('data', (d: Buffer) => { printed += d.toString(); });
  await waitFor('the cluster\'s guide', () => printed.includes('Ctrl-C stops') || script.exitCode !== null, 150_000);
  expect(printed, 'the cluster script exited before it was ready').toContain('Ctrl-C stops all 4 processes');
  for (const m of printed.matchAll(/^ {2}(central|p\d\d)\b.*?data http (\d+)/gm)) httpPort[m[1]!] = Number(m[2]);
}, 160_000);

afterAll(async () => {
  if (script && script.exitCode === null && script.signalCode === null) {
    const gone = new Promise((r) => script.once('exit', r));
    script.kill('SIGTERM'); // it stops the nodes it started, then exits
    await gone;
  }
  if (data) await rm(data, { recursive: true, force: true });
}, 60_000);

describe('npm run cluster', () => {
  it('starts a centre and three provinces, the simulated post homed on Fars', () => {
    expect(Object.keys(httpPort).sort()).toEqual(['central', 'p07', 'p10', 'p23']);
    expect(printed).toContain('IR/GOV/POST/address (the simulated post) is homed on p07');
    expect(printed).toContain('SIMULATED');
  });

  it('answers an inquiry that stays in Fars, recorded on p07 only', async () => {
    const res = await ask('p07', ADDRESS);
    expect(res.status, res.body).toBe(200);
    expect(chainsOf('p07', res.xroadId)).toEqual(['p07/0']);
    for (const other of ['p10', 'p23', 'central']) expect(chainsOf(other, res.xroadId)).toEqual([]);
  });

  it('answers an inquiry homed on Fars asked at Isfahan, routed directly and recorded on both', async () => {
    const res = await ask('p10', ADDRESS);
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ postalCode: '1193653471' });
    expect(recordsOf('p10', res.xroadId)).toEqual([{ chain_id: 'p10/0', service: 'IR/GOV/POST/address/address', status: 200 }]);
    expect(recordsOf('p07', res.xroadId)).toEqual([{ chain_id: 'p07/routed', service: 'IR/GOV/POST/address/address', status: 200 }]);
    // Province to province: the centre carried none of it.
    expect(chainsOf('central', res.xroadId)).toEqual([]);
    expect(chainsOf('p23', res.xroadId)).toEqual([]);
  });

  it('answers an inquiry homed on the centre asked at Tehran, recorded on p23 and at the centre', async () => {
    const res = await ask('p23', PERSON);
    expect(res.status, res.body).toBe(200);
    expect(chainsOf('p23', res.xroadId)).toEqual(['p23/0']);
    expect(chainsOf('central', res.xroadId)).toEqual(['central/routed']);
    expect(chainsOf('p07', res.xroadId)).toEqual([]);
  });

  it('prints curl commands for the provinces\' TLS data ports that work as printed', async () => {
    const tls = printed.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('curl') && l.includes('--resolve'));
    const withCert = tls.filter((l) => l.includes(' --cert '));
    expect(withCert).toHaveLength(3);
    expect(tls).toHaveLength(4);
    const run = promisify(execFile);
    const curl = await run('curl', ['--version']).then(() => true, () => false);
    if (!curl) return; // the commands are for an operator's shell; without curl, the lines above are what is checked
    for (const line of tls) {
      const { stdout } = await run('sh', ['-c', `${line} -w '\\n%{http_code}'`]);
      expect(stdout.trim().split('\n').at(-1), `${line}\n${stdout}`).toBe(withCert.includes(line) ? '200' : '400');
    }
  }, 30_000);
});
