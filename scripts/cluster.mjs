// `npm run cluster`: a central node and three provincial nodes on this machine, each its own process
// with its own data directory under ./cluster-data (made afresh), for the demo and for trying the
// topology by hand. The centre runs the demo (simulated agencies, its registry, the exchange CA);
// each province gets a node certificate from the centre's CA (`node-cert issue`), starts as
// `tabadol start --role provincial`, and is registered at the centre (`POST /v1/nodes`: its province,
// node-port URL and record key). Ctrl-C stops every process this script started, by its pid.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { nodeCertIssueArgs, provinceNodeEntry, provinceStartArgs, recordKeyFile } from './cluster-nodes.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const DATA = path.resolve(process.env.TABADOL_CLUSTER_DATA ?? path.join(ROOT, 'cluster-data'));
// The compiled node when dist/ is newer than every source file, else the source through tsx.
const built = existsSync(path.join(ROOT, 'dist/cli/main.js')) ? statSync(path.join(ROOT, 'dist/cli/main.js')).mtimeMs : 0;
const compiled = built > 0 && readdirSync(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })
  .every((e) => !e.isFile() || statSync(path.join(e.parentPath, e.name)).mtimeMs <= built);
const entry = compiled ? [path.join(ROOT, 'dist/cli/main.js')] : ['--import', 'tsx', path.join(ROOT, 'src/cli/main.ts')];
// Tehran, Fars and Isfahan (src/divisions/provinces.ts codes).
const PROVINCES = [
  { id: 'p23', code: '23', name: 'Tehran', admin: 4123, http: 8123, node: 5523 },
  { id: 'p07', code: '07', name: 'Fars', admin: 4107, http: 8107, node: 5507 },
  { id: 'p10', code: '10', name: 'Isfahan', admin: 4110, http: 8110, node: 5510 },
];
const children = [];

function run(args, { wait = true, log } = {}) {
  const child = spawn(process.execPath, [...entry, ...args], { cwd: ROOT, stdio: ['ignore', log ? 'pipe' : 'inherit', 'pipe'], env: { ...process.env, TABADOL_LOG_LEVEL: process.env.TABADOL_LOG_LEVEL ?? 'warn' } });
  let err = '';
  child.stderr.on('data', (d) => { err += d; if (!wait) process.stderr.write(`[${log ?? 'node'}] ${d}`); });
  if (log) child.stdout.on('data', (d) => { if (process.env.CLUSTER_VERBOSE) process.stdout.write(`[${log}] ${d}`); });
  if (!wait) { children.push(child); return child; }
  return new Promise((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tabadol ${args.join(' ')}: ${err.trim()}`)))));
}

async function until(what, probe, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    try { if (await probe()) return; } catch { /* not yet */ }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const tokenOf = async () => (await readFile(path.join(DATA, 'central/keys/admin-token'), 'utf8')).trim();
async function centreAdmin(method, p, body) {
  const res = await fetch(`http://127.0.0.1:4000${p}`, {
    method, headers: { authorization: `Bearer ${await tokenOf()}`, ...(body ? { 'content-type': 'application/json' } : {}) }, body: body && JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

function stopAll() {
  for (const c of children) if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGTERM');
}
process.once('SIGINT', () => { stopAll(); });
process.once('SIGTERM', () => { stopAll(); });

await rm(DATA, { recursive: true, force: true });
await mkdir(DATA, { recursive: true });
const central = path.join(DATA, 'central');
// The centre: the demo's registry and agencies, node port 5500 on loopback, rollups pulled every 10 s.
run(['--data', central, 'demo', '--role', 'central', '--node-port', '5500', '--node-host', '127.0.0.1', '--rollup-pull-interval', '10'], { wait: false, log: 'central' });
await until('the central node', async () => (await fetch('http://127.0.0.1:4000/v1/snapshot', { headers: { authorization: `Bearer ${await tokenOf()}` } })).ok);

// The centre is a node of the exchange too: provinces route exchanges for its services to this address.
await centreAdmin('POST', '/v1/nodes', { id: 'central', role: 'central', url: 'https://127.0.0.1:5500' });

for (const p of PROVINCES) {
  const dir = path.join(DATA, p.id);
  await run(nodeCertIssueArgs(central, p.id, dir), { log: p.id });
  run(provinceStartArgs({ dataDir: dir, id: p.id, code: p.code, centralDir: central, centralNodeUrl: 'https://127.0.0.1:5500',
    ports: p, extra: ['--witness-interval', '10'] }), { wait: false, log: p.id });
  await until(`${p.id}'s record key`, async () => existsSync(recordKeyFile(dir)));
  await centreAdmin('POST', '/v1/nodes', await provinceNodeEntry({ dataDir: dir, id: p.id, code: p.code, nodePort: p.node }));
}

const J = `-H 'X-Road-Client: IR/GOV/JUDICIARY/case-management'`;
const inquiry = 'r1/IR/GOV/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15';
const tabadol = compiled ? 'npm run tabadol --' : 'npm run dev --';
console.log(`
Tabadol cluster: a central node and ${PROVINCES.length} provincial nodes, data in ${DATA}
  central   admin 4000, data http 8080 / tls 8443, node port 5500, portal 8000 (demo agencies on 9090)
${PROVINCES.map((p) => `  ${p.id} (${p.name}, ${p.code})  admin ${p.admin}, data http ${p.http}, node port ${p.node}`).join('\n')}

Try:
  # an inquiry through the centre, and through a province (its snapshot came from the centre over the node port)
  curl -s ${J} 'http://127.0.0.1:8080/${inquiry}'
  curl -s ${J} 'http://127.0.0.1:${PROVINCES[0].http}/${inquiry}'
  # the registered nodes, in the registry and in every snapshot
  curl -s -H "Authorization: Bearer $(cat ${central}/keys/admin-token)" http://127.0.0.1:4000/v1/nodes
  # a province's snapshot state (where it comes from, until when it is valid)
  curl -s -H "Authorization: Bearer $(cat ${DATA}/${PROVINCES[0].id}/keys/admin-token)" http://127.0.0.1:${PROVINCES[0].admin}/v1/snapshot
  # where each inquiry is recorded: the province's own records.db, its chain verified
  ${tabadol} --data ${DATA}/${PROVINCES[0].id} audit verify
  # the country's statistics at the centre, by node (the provinces' rollups are pulled every 10 s)
  ${tabadol} --data ${central} stats --by node
  # what the centre witnessed of a province's record chains (sent every 10 s)
  ${tabadol} --data ${central} audit witnessed --node ${PROVINCES[0].id}

Ctrl-C stops all ${children.length} processes.`);
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
