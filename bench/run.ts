// `npm run bench`: the exchange against a direct call to the same provider, side by side in ONE run.
//
//   npm run bench [-- --quick | --duration <s>] [--repeat <n>] [--json] [--durability full|normal]
//                 [--rows node_http,node_http_routed] [--baseline <build dir>]
//   npm run bench -- --soak <s>        memory soak instead (see bench/soak.ts)
//   npm run bench -- --scaling         one data-plane worker against two, unpinned (bench/scaling.ts)
//   npm run bench -- --latency         latency added at half of the node's maximum (bench/latency.ts)
//
// Rows, in this order, each an autocannon run (50 keep-alive connections, after an unmeasured
// warm-up) from a load-generator process on CPU 0 against servers on CPU 1:
//   direct     the SIMULATED provider itself
//   nginx      nginx reverse proxy (keep-alive upstream) in front of it: the cost of a bare hop
//   bare_proxy the least a Node.js proxy can do (bench/bare-proxy.ts): Node's own HTTP cost
//   node_http  the node's plain-HTTP port: the full pipeline, record included
//   node_http_no_rollups  the same on a second node started with --no-rollups: what counting the
//              statistics in the record writer costs (ratio node_http / this row, run by run)
//   node_tls   the node's TLS port with a client certificate
//   node_http_routed  a centre and a province (bench/routed.ts): the inquiry sent to the centre's
//              plain-HTTP port, routed to the province's node port over mutual TLS, the provider
//              called there; as a share of direct and of node_http (one node), run by run; its
//              warm-up is three times as long (PAIR_WARMUP_TIMES), as are the rows of pairs below
//   node_http_routed_split  the same pair with the province on the load generator's CPU instead
//              (which the routed rows leave mostly idle): what sharing one CPU between the two nodes
//              costs, since on one CPU every hop is a switch between two processes' caches
//   node_http_routed_baseline  with --baseline DIR: the same pair run from another build of the
//              node (`node scripts/build.mjs --out DIR`, e.g. made before a change), side by side
//   node_http_paced  the single node again, at the routed row's rate (constant, bench/paced.ts): one
//              node's CPU per exchange when it is not saturated, which is how each node of the
//              routed pair runs, for comparing the pair with two single nodes at the same rate
// --rows runs only the rows named (direct always runs: every ratio is taken against it).
// For node rows the node's own CPU time per exchange and its memory are read from /proc.
// With --json the last line of stdout is one JSON object: {"meta": …, "rows": {…}}.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, rmdir } from 'node:fs/promises';
import { Agent, request } from 'undici';
import type { LoadResult, LoadSpec } from './load.ts';
import { LOAD_CPU, REPO, SERVER_CPU, canPin, freePort, killAllNow, nodeTs, runLoad, runPaced, spawnChild, stopAll, waitForPort } from './processes.ts';
import { RssSampler, childrenOf, cpuMicros, machine, machineBusyMicros, machineBusyShare, statusKb } from './measure.ts';
import { nginxVersion, startNginx } from './nginx.ts';
import { CLIENT, INQUIRY, startStack, type Stack } from './stack.ts';
import { runSoak } from './soak.ts';
import { runScaling } from './scaling.ts';
import { runLatency } from './latency.ts';
import { startRouted } from './routed.ts';

const ALL_ROWS = ['direct', 'nginx', 'bare_proxy', 'node_http', 'node_http_no_rollups', 'node_tls', 'node_http_routed', 'node_http_routed_split', 'node_http_routed_baseline', 'node_http_paced'] as const;
type RowName = (typeof ALL_ROWS)[number];

/** `measured`: the process whose CPU time per exchange and memory the row reports; `measuredToo`:
 * further processes whose CPU time the exchange also costs (the routed row's province). */
interface Target {
  url: string; headers?: Record<string, string>; tls?: LoadSpec['tls']; measured?: number; measuredToo?: number[];
  pacedAt?: (run: number) => number | undefined;
  /** Warm-up as a multiple of warmupS (default 1). */
  warmupTimes?: number;
}
/**
 * The routed pair answers at about a third of one node's rate: warmed for as long as one node, its
 * two processes met a third as many exchanges, and were still compiling their code when the
 * measurement started (in one --quick run, 485 µs of CPU per exchange cold against 284 warm). Three
 * times the warm-up gives them about as many exchanges as one node's warm-up gives it.
 */
const PAIR_WARMUP_TIMES = 3;
interface RowRun { load: LoadResult; serverCpuPct: number; othersCpuPct: number; cpuUs?: number; peakRssMb?: number; hwmMb?: number }

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string' },
    repeat: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    durability: { type: 'string', default: 'full' },
    soak: { type: 'string' },
    scaling: { type: 'boolean', default: false },
    latency: { type: 'boolean', default: false },
    unpinned: { type: 'boolean', default: false },
    rows: { type: 'string' },
    baseline: { type: 'string' },
  },
});
const asked = args.rows?.split(',').map((r) => r.trim()).filter(Boolean);
const unknownRow = asked?.find((r) => !(ALL_ROWS as readonly string[]).includes(r));
if (unknownRow !== undefined) throw new Error(`--rows: no row ${unknownRow} (rows: ${ALL_ROWS.join(', ')})`);
const ROWS = ALL_ROWS.filter((r) => (r === 'direct' || asked === undefined || asked.includes(r))
  && (r !== 'node_http_routed_baseline' || args.baseline !== undefined)
  // Only when asked for: the split row's province shares the load generator's CPU, and the paced
  // row needs the routed row before it.
  && ((r !== 'node_http_routed_split' && r !== 'node_http_paced') || asked?.includes(r) === true));
const CONNECTIONS = 50;
const durationS = args.quick ? 3 : Number(args.duration ?? 10);
const warmupS = args.quick ? 1 : 2;
const repeat = Number(args.repeat);
const durability = args.durability === 'normal' ? 'normal' : 'full';
const soakS = args.soak === undefined ? undefined : Number(args.soak);
if (!(durationS > 0 && durationS <= 120) || !(Number.isInteger(repeat) && repeat >= 1 && repeat <= 9)) {
  throw new Error('--duration must be 1..120 s and --repeat 1..9');
}
if (soakS !== undefined && !(soakS >= 10 && soakS <= 3600)) throw new Error('--soak must be 10..3600 s');

const say = (line = '') => process.stdout.write(line + '\n');
const progress = (line: string) => process.stderr.write(line + '\n');
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** One request before any load: a wrong access right or certificate shows here, with its reason. */
async function probe(name: string, t: Target): Promise<boolean> {
  const dispatcher = t.tls ? new Agent({ connect: {
    cert: readFileSync(t.tls.certPath), key: readFileSync(t.tls.keyPath), ca: readFileSync(t.tls.caPath),
  } }) : undefined;
  try {
    const res = await request(t.url, { headers: t.headers, dispatcher });
    const body = await res.body.text();
    if (res.statusCode === 200) {
      progress(`probe ${name}: 200, ${body.length} bytes`);
      return true;
    }
    say(`!!! ${name}: the probe inquiry answered ${res.statusCode} ${String(res.headers['x-road-error'] ?? '')}: ${body.slice(0, 300)}`);
    return false;
  } catch (e) {
    say(`!!! ${name}: the probe inquiry failed: ${(e as Error).message}`);
    return false;
  } finally {
    await dispatcher?.close();
  }
}

/** `servers`: every process of ours on the server CPU (provider, node, nginx), for its busy share. */
async function measureRow(t: Target, servers: number[], run: number): Promise<RowRun> {
  const nodePids = t.measured ? [t.measured, ...(t.measuredToo ?? [])] : [];
  const nodePid = t.measured ?? 0;
  let nodeCpu0 = 0;
  let serversCpu0 = 0;
  let machine0 = 0;
  let sampler: RssSampler | undefined;
  const serversCpu = () => servers.reduce((a, pid) => a + cpuMicros(pid), 0);
  const spec: LoadSpec = { url: t.url, connections: CONNECTIONS, durationS, warmupS: warmupS * (t.warmupTimes ?? 1), headers: t.headers, tls: t.tls };
  try {
    const rate = t.pacedAt?.(run);
    if (t.pacedAt && !(rate !== undefined && rate > 0)) throw new Error('the paced row runs at the routed row\'s rate: run node_http_routed too');
    const load = await (rate !== undefined ? (f: () => void) => runPaced(spec, Math.round(rate), f) : (f: () => void) => runLoad(spec, f))(() => {
      serversCpu0 = serversCpu();
      machine0 = machineBusyMicros();
      nodeCpu0 = nodePids.reduce((a, pid) => a + cpuMicros(pid), 0);
      if (t.measured) sampler = new RssSampler(nodePid, 200);
    });
    const pct = (us: number) => (us / 1e6 / load.durationS) * 100;
    const serverCpuPct = pct(serversCpu() - serversCpu0);
    // What the whole machine was busy with, less our servers and the load generator: other people.
    const othersCpuPct = pct(machineBusyMicros() - machine0) - serverCpuPct - load.genCpuPct;
    if (!t.measured) return { load, serverCpuPct, othersCpuPct };
    const cpu = nodePids.reduce((a, pid) => a + cpuMicros(pid), 0) - nodeCpu0;
    return {
      load, serverCpuPct, othersCpuPct,
      cpuUs: load.total > 0 ? cpu / load.total : NaN,
      peakRssMb: sampler!.stop() / 1024,
      hwmMb: statusKb(nodePid, 'VmHWM') / 1024,
    };
  } finally {
    sampler?.stop();
  }
}

/** Only 200s count: any other status (or none at all) means the row measured something else. */
function problemsOf(runs: RowRun[]): string | undefined {
  const codes: Record<string, number> = {};
  for (const r of runs) for (const [c, n] of Object.entries(r.load.statusCodes)) codes[c] = (codes[c] ?? 0) + n;
  const others = Object.entries(codes).filter(([c]) => c !== '200');
  if (others.length > 0) return `non-200 responses: ${others.map(([c, n]) => `${n}×${c}`).join(', ')}`;
  if (!codes['200']) return 'no responses at all';
  return undefined;
}

async function runBench(tmp: string): Promise<boolean> {
  const m = machine();
  const pinned = canPin();
  const ngv = nginxVersion();
  say(`tabadol bench — ${new Date().toISOString()}`);
  say(`machine: nproc ${m.nproc}, ${m.cpuModel}; Node ${process.version}`);
  say(pinned
    ? `pinning: provider, node${ngv ? ' and nginx' : ''} on CPU ${SERVER_CPU}; load generator on CPU ${LOAD_CPU} (taskset)`
    : 'pinning: NONE (taskset missing or fewer than 2 CPUs): everything runs unpinned, numbers are noisier');
  say(`load: autocannon 9.0.0, ${CONNECTIONS} keep-alive connections, ${durationS} s per row after ${warmupS} s warm-up, ` +
    `repeat ${repeat}${repeat > 1 ? ' (medians)' : ''}; routed rows warm up ${PAIR_WARMUP_TIMES}× as long; node_tls presents the client certificate through autocannon's tlsOptions`);
  say(`node: durability ${durability}, log level warn; latency = 2xx responses, sub-ms precision`);
  const busy = await machineBusyShare();
  say(busy > 0.1
    ? `!!! machine busy before start: ${(busy * 100).toFixed(0)} % of all CPUs in use by other processes; numbers will be skewed`
    : `machine idle before start (${(busy * 100).toFixed(0)} % CPU in use)`);

  const stack: Stack = await startStack(tmp, durability, { withoutRollups: ROWS.includes('node_http_no_rollups') });
  let nginxPort: number | undefined;
  const nginxPids: number[] = [];
  if (ngv) {
    nginxPort = await freePort();
    const nginx = await startNginx(path.join(tmp, 'nginx'), nginxPort, stack.providerPort, SERVER_CPU);
    nginxPids.push(nginx.pid, ...childrenOf(nginx.pid));
  } else {
    say('nginx: not installed, row skipped');
  }
  const wants = (row: RowName) => ROWS.includes(row);
  const routed = wants('node_http_routed') ? await startRouted(tmp, durability, stack.providerPort, pinned ? SERVER_CPU : undefined) : undefined;
  const baseline = args.baseline !== undefined && wants('node_http_routed_baseline')
    ? await startRouted(tmp, durability, stack.providerPort, pinned ? SERVER_CPU : undefined, { build: args.baseline, name: 'baseline' })
    : undefined;
  const split = wants('node_http_routed_split') && pinned
    ? await startRouted(tmp, durability, stack.providerPort, SERVER_CPU, { name: 'split', provinceCpu: LOAD_CPU })
    : undefined;
  if (baseline) say(`baseline: node_http_routed_baseline runs the build in ${args.baseline}`);
  const bareProxyPort = await freePort();
  const bareProxy = spawnChild('bare-proxy', nodeTs('bench/bare-proxy.ts', String(bareProxyPort), String(stack.providerPort)), { cpu: SERVER_CPU });
  await waitForPort(bareProxyPort, bareProxy);
  const viaNode = { 'X-Road-Client': CLIENT };
  const targets: Record<RowName, Target | null> = {
    direct: { url: `http://127.0.0.1:${stack.providerPort}${INQUIRY}` },
    nginx: nginxPort ? { url: `http://127.0.0.1:${nginxPort}${INQUIRY}` } : null,
    bare_proxy: { url: `http://127.0.0.1:${bareProxyPort}${INQUIRY}`, measured: bareProxy.pid },
    node_http: { url: `http://127.0.0.1:${stack.ports.http}/r1/IR/GOV${INQUIRY}`, headers: viaNode, measured: stack.node.pid },
    node_http_no_rollups: stack.plainNode ? { url: `http://127.0.0.1:${stack.plainNode.httpPort}/r1/IR/GOV${INQUIRY}`, headers: viaNode, measured: stack.plainNode.node.pid } : null,
    node_tls: { url: `https://127.0.0.1:${stack.ports.tls}/r1/IR/GOV${INQUIRY}`, headers: viaNode, tls: stack.clientTls, measured: stack.node.pid },
    node_http_routed: routed ? { url: `http://127.0.0.1:${routed.httpPort}/r1/IR/GOV${INQUIRY}`, headers: viaNode, measured: routed.centre.pid, measuredToo: [routed.province.pid], warmupTimes: PAIR_WARMUP_TIMES } : null,
    node_http_routed_split: split
      ? { url: `http://127.0.0.1:${split.httpPort}/r1/IR/GOV${INQUIRY}`, headers: viaNode, measured: split.centre.pid, measuredToo: [split.province.pid], warmupTimes: PAIR_WARMUP_TIMES }
      : null,
    node_http_routed_baseline: baseline
      ? { url: `http://127.0.0.1:${baseline.httpPort}/r1/IR/GOV${INQUIRY}`, headers: viaNode, measured: baseline.centre.pid, measuredToo: [baseline.province.pid], warmupTimes: PAIR_WARMUP_TIMES }
      : null,
    node_http_paced: {
      url: `http://127.0.0.1:${stack.ports.http}/r1/IR/GOV${INQUIRY}`, headers: viaNode, measured: stack.node.pid,
      pacedAt: (run: number) => runs.node_http_routed[run]?.load.rps,
    },
  };
  const pairs = [routed, split, baseline].flatMap((r) => (r ? [r.centre.pid, r.province.pid] : []));
  say(`inquiry: GET /r1/IR/GOV${INQUIRY} as ${CLIENT} (direct: GET ${INQUIRY})`);
  if (ngv) say(`nginx: ${ngv}, worker_processes 1, keepalive upstream`);

  const probeFailed = new Set<RowName>();
  for (const name of ROWS) {
    const t = targets[name];
    if (t && !(await probe(name, t))) probeFailed.add(name);
  }

  const runs: Record<RowName, RowRun[]> = {
    direct: [], nginx: [], bare_proxy: [], node_http: [], node_http_no_rollups: [], node_tls: [], node_http_routed: [], node_http_routed_split: [], node_http_routed_baseline: [], node_http_paced: [],
  };
  for (let i = 0; i < repeat; i++) {
    for (const name of ROWS) {
      const t = targets[name];
      if (!t) continue;
      progress(`run ${i + 1}/${repeat}: ${name} …`);
      runs[name].push(await measureRow(t, [stack.provider.pid, stack.node.pid, ...(stack.plainNode ? [stack.plainNode.node.pid] : []), ...pairs, bareProxy.pid, ...nginxPids], i));
    }
  }

  // Ratios are taken within each run (same machine state), then the median of them.
  const ratios = (name: RowName) => runs[name].map((r, i) => r.load.rps / runs.direct[i]!.load.rps);
  // The routed row against one node, run by run: what the second node and the hop between them cost.
  const toNodeHttp = runs.node_http.length === 0 ? [] : runs.node_http_routed.map((r, i) => r.load.rps / runs.node_http[i]!.load.rps);
  // The routed pair against the same pair from the baseline build, run by run: what a change did.
  const toBaseline = runs.node_http_routed_baseline.length === 0 ? [] : runs.node_http_routed.map((r, i) => r.load.rps / runs.node_http_routed_baseline[i]!.load.rps);
  const invalid: Record<string, string> = {};
  const table: string[][] = [['row', 'rps', 'p50 ms', 'p99 ms', 'ratio', 'cpu µs/exch', 'peak RSS MB', 'HWM MB', 'non-2xx', 'errors', 'CPU1 %', 'gen CPU %']];
  const json: Record<string, Record<string, number> | null> = {};
  const perRow: Record<string, unknown> = {};
  const busyRows: string[] = [];
  for (const name of ROWS) {
    const rs = runs[name];
    if (rs.length === 0) {
      table.push([name, 'skipped']);
      json[name] = null;
      continue;
    }
    const problem = problemsOf(rs) ?? (probeFailed.has(name) ? 'the probe inquiry failed' : undefined);
    if (problem) invalid[name] = problem;
    const med = (f: (r: RowRun) => number) => median(rs.map(f));
    const row: Record<string, number> = {
      rps: Math.round(med((r) => r.load.rps)),
      p50_ms: round(med((r) => r.load.p50_ms), 2),
      p99_ms: round(med((r) => r.load.p99_ms), 2),
    };
    const node = targets[name]!.measured !== undefined;
    if (node) {
      row.ratio = round(median(ratios(name)), 3);
      row.cpu_us_per_exchange = Math.round(med((r) => r.cpuUs!));
      row.peak_rss_mb = round(med((r) => r.peakRssMb!), 1);
    }
    if (name === 'node_http_routed' && toNodeHttp.length > 0) row.ratio_to_node_http = round(median(toNodeHttp), 3);
    if (name === 'node_http_routed' && toBaseline.length > 0) row.ratio_to_baseline = round(median(toBaseline), 3);
    const non2xx = rs.reduce((a, r) => a + r.load.non2xx, 0);
    const errors = rs.reduce((a, r) => a + r.load.errors + r.load.timeouts, 0);
    const hwm = node ? round(Math.max(...rs.map((r) => r.hwmMb!)), 1) : undefined;
    const serverPct = Math.round(med((r) => r.serverCpuPct));
    const genPct = Math.round(med((r) => r.load.genCpuPct));
    const othersPct = Math.max(0, Math.round(Math.max(...rs.map((r) => r.othersCpuPct))));
    // Below 25 % it is indistinguishable from softirq accounting (see machineBusyMicros).
    if (othersPct > 25) busyRows.push(`${name} ${othersPct} %`);
    perRow[name] = {
      requests: rs.reduce((a, r) => a + r.load.total, 0), non_2xx: non2xx, errors, hwm_mb: hwm,
      server_cpu_pct: serverPct, generator_cpu_pct: genPct, others_cpu_pct: othersPct, status_codes: rs.map((r) => r.load.statusCodes),
    };
    json[name] = row;
    const dash = (v: number | undefined) => (v === undefined ? '-' : String(v));
    table.push([problem ? `${name} INVALID` : name, String(row.rps), dash(row.p50_ms), dash(row.p99_ms), dash(row.ratio),
      dash(row.cpu_us_per_exchange), dash(row.peak_rss_mb), dash(hwm), String(non2xx), String(errors), String(serverPct), String(genPct)]);
  }

  say();
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => (r[c] ?? '').length)));
  for (const r of table) say(r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '));
  say('ratio = rps / direct rps of the same run. cpu µs/exch, RSS and HWM: the node (or bare proxy) process, all threads;');
  say('node_http_routed: cpu µs/exch is the centre and the province together, RSS and HWM the centre\'s.');
  say(`CPU1 %: our servers on CPU ${SERVER_CPU} (provider + nginx or node); gen CPU %: the load generator on CPU ${LOAD_CPU}.`);
  say('A row whose gen CPU % is near 100 is bounded by the load generator, not by the server.');
  const withRollups = runs.node_http_no_rollups.length === 0 ? [] : runs.node_http.map((r, i) => r.load.rps / runs.node_http_no_rollups[i]!.load.rps);
  if (withRollups.length > 0) {
    const cpu = (name: RowName) => median(runs[name].map((r) => r.cpuUs!));
    say(`rollups: node_http / node_http_no_rollups rps, run by run: ${withRollups.map((x) => x.toFixed(3)).join(', ')} (median ${median(withRollups).toFixed(3)}); ` +
      `CPU ${Math.round(cpu('node_http'))} vs ${Math.round(cpu('node_http_no_rollups'))} µs/exchange`);
  }
  if (toNodeHttp.length > 0) {
    const toDirect = ratios('node_http_routed');
    say(`routed: node_http_routed / direct rps, run by run: ${toDirect.map((x) => x.toFixed(3)).join(', ')} (median ${median(toDirect).toFixed(3)}); ` +
      `/ node_http: ${toNodeHttp.map((x) => x.toFixed(3)).join(', ')} (median ${median(toNodeHttp).toFixed(3)})`);
  }
  if (toBaseline.length > 0) {
    const cpu = (name: RowName) => median(runs[name].map((r) => r.cpuUs!));
    say(`baseline: node_http_routed / node_http_routed_baseline rps, run by run: ${toBaseline.map((x) => x.toFixed(3)).join(', ')} (median ${median(toBaseline).toFixed(3)}); ` +
      `CPU ${Math.round(cpu('node_http_routed'))} vs ${Math.round(cpu('node_http_routed_baseline'))} µs/exchange over both nodes`);
  }
  if (busyRows.length > 0) say(`!!! other processes on this machine were busy during: ${busyRows.join(', ')} of a CPU; those rows are skewed`);
  for (const [name, why] of Object.entries(invalid)) {
    say(`!!! INVALID ROW ${name}: ${why}. Its numbers do not measure the inquiry (wrong access right, certificate or registry?).`);
  }
  if (args.json) {
    const rows = {
      direct: json.direct, nginx: json.nginx ?? null, node_tls: json.node_tls, node_http: json.node_http, node_http_no_rollups: json.node_http_no_rollups,
      node_http_routed: json.node_http_routed ?? null, node_http_routed_split: json.node_http_routed_split ?? null,
      node_http_routed_baseline: json.node_http_routed_baseline ?? null, node_http_paced: json.node_http_paced ?? null,
    };
    // The bare proxy is a reference for reading the node's figures, outside the rows the targets name.
    say(JSON.stringify({
      meta: {
        nproc: m.nproc, cpu_model: m.cpuModel, node: process.version, pinned, connections: CONNECTIONS, duration_s: durationS,
        warmup_s: warmupS, repeat, durability, busy_before_start: round(busy, 2), nginx: ngv ?? null, tls_load_generator: 'autocannon tlsOptions',
        valid: Object.keys(invalid).length === 0, invalid, per_row: perRow, bare_proxy: json.bare_proxy ?? null,
      },
      rows,
    }));
  }
  return Object.keys(invalid).length === 0;
}

// ---- the run: temp dir inside the repository, bounded time, everything stopped on every exit path.
const tmpRoot = path.join(REPO, 'bench', '.tmp');
await mkdir(tmpRoot, { recursive: true });
const tmp = await mkdtemp(path.join(tmpRoot, 'run-'));
let cleaning: Promise<void> | undefined;
const cleanup = () => (cleaning ??= (async () => {
  await stopAll();
  await rm(tmp, { recursive: true, force: true });
  await rmdir(tmpRoot).catch(() => undefined); // only when no other run is using it
})());
process.on('exit', killAllNow);
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    progress(`\n${sig}: stopping everything the bench started`);
    void cleanup().finally(() => process.exit(130));
  });
}
// The routed row's centre and province take about as long again to start as the stack.
const boundS = soakS !== undefined ? soakS + 180 : repeat * ROWS.length * (durationS + PAIR_WARMUP_TIMES * warmupS + 10) + 150;
const watchdog = setTimeout(() => {
  progress(`!!! the bench exceeded its time bound of ${boundS} s; stopping`);
  void cleanup().finally(() => process.exit(3));
}, boundS * 1000);

let ok = false;
try {
  ok = soakS !== undefined
    ? await runSoak(tmp, { seconds: soakS, connections: CONNECTIONS, durability, json: args.json })
    : args.scaling
      ? await runScaling(tmp, { durationS, warmupS, connections: CONNECTIONS, durability, json: args.json })
      : args.latency
        ? await runLatency(tmp, { durationS, warmupS, connections: CONNECTIONS, durability, json: args.json, pinned: !args.unpinned })
        : await runBench(tmp);
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exitCode = ok ? 0 : 1;
