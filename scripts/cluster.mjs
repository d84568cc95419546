// `npm run cluster`: a central node and three provincial nodes on this machine, each its own process
// with its own data directory under ./cluster-data (made afresh), for the demo and for trying the
// topology by hand. The centre runs the demo (simulated agencies, its registry, the exchange CA);
// each province gets a node certificate from the centre's CA (`node-cert issue`), starts as
// `tabadol start --role provincial` with a TLS data port on that certificate, and is registered at
// the centre (`POST /v1/nodes`: its province, node-port URL and record key). The simulated post's
// address subsystem is then served from Fars (homed on p07), so that an inquiry can stay in a
// province, cross from one province to another, or go to the centre. Ctrl-C stops every process
// this script started, by its pid. TABADOL_CLUSTER_PORT_OFFSET moves every port by that much.
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
const OFFSET = Number(process.env.TABADOL_CLUSTER_PORT_OFFSET ?? 0);
if (!Number.isInteger(OFFSET) || OFFSET < 0 || OFFSET > 55_000) throw new Error('TABADOL_CLUSTER_PORT_OFFSET must be a whole number from 0 to 55000');
const at = (port) => port + OFFSET;
const CENTRE = { admin: at(4000), http: at(8080), tls: at(8443), node: at(5500), portal: at(8000), agencies: at(9090) };
// Tehran, Fars and Isfahan (src/divisions/provinces.ts codes).
const PROVINCES = [
  { id: 'p23', code: '23', name: 'Tehran', admin: at(4123), http: at(8123), tls: at(8423), node: at(5523) },
  { id: 'p07', code: '07', name: 'Fars', admin: at(4107), http: at(8107), tls: at(8407), node: at(5507) },
  { id: 'p10', code: '10', name: 'Isfahan', admin: at(4110), http: at(8110), tls: at(8410), node: at(5510) },
];
const [TEHRAN, FARS, ISFAHAN] = PROVINCES;
/** The demo's simulated post (address by postal code), served from Fars in this cluster. */
const POST = 'IR/GOV/POST/address';
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
  const res = await fetch(`http://127.0.0.1:${CENTRE.admin}${p}`, {
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
// The centre: the demo's registry and agencies, node port on loopback, rollups pulled every 10 s.
run(['--data', central, 'demo', '--role', 'central', '--admin-port', String(CENTRE.admin), '--http-port', String(CENTRE.http), '--tls-port', String(CENTRE.tls),
  '--portal-port', String(CENTRE.portal), '--agency-port', String(CENTRE.agencies), '--node-port', String(CENTRE.node), '--node-host', '127.0.0.1',
  '--rollup-pull-interval', '10'], { wait: false, log: 'central' });
await until('the central node', async () => (await fetch(`http://127.0.0.1:${CENTRE.admin}/v1/snapshot`, { headers: { authorization: `Bearer ${await tokenOf()}` } })).ok);

// The centre is a node of the exchange too: provinces route exchanges for its services to this address.
await centreAdmin('POST', '/v1/nodes', { id: 'central', role: 'central', url: `https://127.0.0.1:${CENTRE.node}` });

for (const p of PROVINCES) {
  const dir = path.join(DATA, p.id);
  await run(nodeCertIssueArgs(central, p.id, dir), { log: p.id });
  run(provinceStartArgs({ dataDir: dir, id: p.id, code: p.code, centralDir: central, centralNodeUrl: `https://127.0.0.1:${CENTRE.node}`,
    ports: p, extra: ['--witness-interval', '10'] }), { wait: false, log: p.id });
  await until(`${p.id}'s record key`, async () => existsSync(recordKeyFile(dir)));
  await centreAdmin('POST', '/v1/nodes', await provinceNodeEntry({ dataDir: dir, id: p.id, code: p.code, nodePort: p.node }));
}

// The simulated post is served from Fars: its provider is called by p07's node, wherever it is asked.
await centreAdmin('PUT', `/v1/subsystems/${encodeURIComponent(POST)}/nodes`, { nodes: [FARS.id] });
// Every province runs on the snapshot that says so before the commands below are printed.
const published = (await centreAdmin('GET', '/v1/snapshot')).version;
for (const p of PROVINCES) {
  const token = (await readFile(path.join(DATA, p.id, 'keys/admin-token'), 'utf8')).trim();
  await until(`${p.id} on snapshot ${published}`, async () => (await (await fetch(`http://127.0.0.1:${p.admin}/v1/snapshot`, { headers: { authorization: `Bearer ${token}` } })).json()).version >= published);
}

const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';
const J = `-H 'X-Road-Client: ${JUDICIARY}'`;
const person = 'r1/IR/GOV/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15';
const address = `r1/${POST}/address/addresses/1193653471`;
const ca = path.join(central, 'ca', 'ca.crt.pem');
const certs = path.join(central, 'certs', ...JUDICIARY.split('/'));
/** An inquiry at a province's TLS data port with the judiciary's client certificate. Its node
 * certificate names the node, not a host: the node id is the name curl checks, mapped to the address. */
const overTls = (p, inquiry) => `curl -s --cacert ${ca} --cert ${certs}/cert.pem --key ${certs}/key.pem --resolve ${p.id}:${p.tls}:127.0.0.1 ${J} 'https://${p.id}:${p.tls}/${inquiry}'`;
const records = (id) => path.join(DATA, id, 'records.db');
const tabadol = compiled ? 'npm run tabadol --' : 'npm run dev --';
console.log(`
Tabadol cluster: a central node and ${PROVINCES.length} provincial nodes, data in ${DATA}. The agencies are SIMULATED, with synthetic data.
  central   admin ${CENTRE.admin}, data http ${CENTRE.http} / tls ${CENTRE.tls}, node port ${CENTRE.node}, portal ${CENTRE.portal} (simulated agencies on ${CENTRE.agencies})
${PROVINCES.map((p) => `  ${p.id} (${p.name}, ${p.code})  admin ${p.admin}, data http ${p.http} / tls ${p.tls}, node port ${p.node}`).join('\n')}
  ${POST} (the simulated post) is homed on ${FARS.id}; every other provider on the centre.

Try, as the judiciary (its client certificate from the centre's CA; a province's TLS port serves on its node certificate):
  # 1. stays in ${FARS.name}: the post's address, asked at ${FARS.id}, where it is homed.
  #    Recorded only in ${records(FARS.id)}.
  ${overTls(FARS, address)}
  # 2. from ${ISFAHAN.name} to ${FARS.name} directly: asked at ${ISFAHAN.id}, whose node calls ${FARS.id}'s node port (not the centre).
  #    Recorded in ${records(ISFAHAN.id)} and ${records(FARS.id)} (chain ${FARS.id}/routed).
  ${overTls(ISFAHAN, address)}
  # 3. from ${TEHRAN.name} to the centre: a person at the civil registry (homed on the central node), asked at ${TEHRAN.id}.
  #    Recorded in ${records(TEHRAN.id)} and ${records('central')} (chain central/routed).
  ${overTls(TEHRAN, person)}
  # without a client certificate: refused (Client.SslAuthenticationFailed), as is one revoked at the centre once the snapshot carries it
  curl -s --cacert ${ca} --resolve ${FARS.id}:${FARS.tls}:127.0.0.1 ${J} 'https://${FARS.id}:${FARS.tls}/${address}'
  # the same over the plain-HTTP development ports (localhost only), e.g. 2.:
  curl -s ${J} 'http://127.0.0.1:${ISFAHAN.http}/${address}'
  # at the centre, over TLS
  curl -s --cacert ${ca} --cert ${certs}/cert.pem --key ${certs}/key.pem ${J} 'https://localhost:${CENTRE.tls}/${person}'
  # the newest records of a node (sqlite3), and its record chains verified
  sqlite3 -readonly ${records(FARS.id)} "select time_in, chain_id, client, service, status from records order by time_in desc limit 5"
  ${tabadol} --data ${DATA}/${FARS.id} audit verify
  # the registered nodes, in the registry and in every snapshot
  curl -s -H "Authorization: Bearer $(cat ${central}/keys/admin-token)" http://127.0.0.1:${CENTRE.admin}/v1/nodes
  # a province's snapshot state (where it comes from, until when it is valid)
  curl -s -H "Authorization: Bearer $(cat ${DATA}/${TEHRAN.id}/keys/admin-token)" http://127.0.0.1:${TEHRAN.admin}/v1/snapshot
  # the country's statistics at the centre, by node (the provinces' rollups are pulled every 10 s)
  ${tabadol} --data ${central} stats --by node
  # what the centre witnessed of a province's record chains (sent every 10 s)
  ${tabadol} --data ${central} audit witnessed --node ${FARS.id}

Ctrl-C stops all ${children.length} processes.`);
await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r() : c.once('exit', r)))));
