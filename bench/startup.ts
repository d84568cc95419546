// Start-up cost of the node, compiled against run from source:
//
//   npm run build && tsx bench/startup.ts [--runs 5]
//
// For each way of running it, alternately, the demo is started on a data directory it already
// initialised (a restart: CA, keys and registry exist) and timed until it prints its guide; the
// resident memory of its whole process tree is read then. A CLI command that only reads the
// registry (`list members`) is timed until it exits. Every port is 0 (chosen by the system);
// each process is stopped by its pid.
//
//   tsx        `tsx src/cli/main.ts …`: what `npm start` ran before the build (two processes)
//   tsx-import `node --import tsx src/cli/main.ts …`: from source in one process
//   compiled   `node dist/cli/main.js …`: what `npm start` and the `tabadol` command run now
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { childrenOf, statusKb } from './measure.ts';
import { REPO, spawnChild, stopAll, stopChild } from './processes.ts';

const WAYS = {
  'tsx': [path.join(REPO, 'node_modules/.bin/tsx'), path.join(REPO, 'src/cli/main.ts')],
  'tsx-import': [process.execPath, '--import', 'tsx', path.join(REPO, 'src/cli/main.ts')],
  'compiled': [process.execPath, path.join(REPO, 'dist/cli/main.js')],
} as const;
type Way = keyof typeof WAYS;

const READY = 'Tabadol demo node is running';
const DEMO_PORTS = ['--admin-port', '0', '--tls-port', '0', '--http-port', '0', '--agency-port', '0'];

function treeRssKb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try { kb += statusKb(p, 'VmRSS'); } catch { return; }
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return kb;
}

/** Starts the demo, waits for its guide, reads the tree's RSS, stops it. */
async function demo(way: Way, dataDir: string): Promise<{ readyMs: number; rssMb: number; processes: number }> {
  const started = performance.now();
  const child = spawnChild(`demo (${way})`, [...WAYS[way], '--data', dataDir, 'demo', ...DEMO_PORTS], { keepStdout: true, env: { TABADOL_LOG_LEVEL: 'warn' } });
  const readyMs = await new Promise<number>((resolve, reject) => {
    const onData = () => { if (child.stdout().includes(READY)) { child.proc.stdout!.off('data', onData); resolve(performance.now() - started); } };
    child.proc.stdout!.on('data', onData);
    void child.exited.then((code) => reject(new Error(`demo (${way}) exited (${code}) before it was ready:\n${child.tail()}`)));
  });
  let processes = 0;
  const count = (p: number) => { processes++; childrenOf(p).forEach(count); };
  count(child.pid);
  const rssMb = treeRssKb(child.pid) / 1024;
  await stopChild(child, 10_000);
  return { readyMs, rssMb, processes };
}

/** Runs one CLI command to its end. */
async function command(way: Way, dataDir: string): Promise<number> {
  const started = performance.now();
  const child = spawnChild(`list (${way})`, [...WAYS[way], '--data', dataDir, 'list', 'members']);
  const code = await child.exited;
  if (code !== 0) throw new Error(`list members (${way}) failed (${code}):\n${child.tail()}`);
  return performance.now() - started;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'tabadol-startup-'));
  const ways = Object.keys(WAYS) as Way[];
  const results = new Map<Way, { ready: number[]; rss: number[]; processes: number; list: number[] }>();
  try {
    // One data directory per way, initialised by an unmeasured first start.
    for (const way of ways) {
      await demo(way, path.join(tmp, way));
      results.set(way, { ready: [], rss: [], processes: 0, list: [] });
    }
    // Alternate the ways, so that a slow moment of the machine does not fall on one of them only.
    for (let i = 0; i < runs; i++) {
      for (const way of ways) {
        const r = results.get(way)!;
        const d = await demo(way, path.join(tmp, way));
        r.ready.push(d.readyMs);
        r.rss.push(d.rssMb);
        r.processes = d.processes;
        r.list.push(await command(way, path.join(tmp, way)));
      }
    }
  } finally {
    await stopAll();
    await rm(tmp, { recursive: true, force: true });
  }
  const fmt = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
  console.log(`median (min–max) of ${runs} runs, node ${process.version}`);
  console.log('way          processes  demo ready ms         demo RSS MB        list members ms');
  for (const way of ways) {
    const r = results.get(way)!;
    console.log(`${way.padEnd(12)} ${String(r.processes).padEnd(10)} ${fmt(r.ready).padEnd(21)} ${fmt(r.rss).padEnd(18)} ${fmt(r.list)}`);
  }
}

await main();
