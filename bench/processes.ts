// Child processes of the bench: spawned pinned to a CPU (when taskset can), waited for, and always
// stopped by pid. The bench only ever signals processes it started itself (and their own children,
// e.g. nginx's worker), each checked by pid AND start time so that a recycled pid is never hit.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { childrenOf, startTimeOf } from './measure.ts';
import type { LoadResult, LoadSpec } from './load.ts';

export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** BENCH_NODE_SOURCE=1 runs the node from its TypeScript source (tsx), to compare with the build. */
const fromSource = process.env.BENCH_NODE_SOURCE === '1';
/** BENCH_NODE_BUILD=DIR runs the node from that build (`node scripts/build.mjs --out DIR`) instead of
 * dist/: a build made at a chosen moment, while src/ goes on changing under it. */
const fromBuild = process.env.BENCH_NODE_BUILD;

/**
 * The argv that runs `file`, a path from the repository root. The product (`src/…`) runs compiled
 * from dist/, as it ships (`npm run bench` builds it first); the bench's own scripts, and the
 * product with BENCH_NODE_SOURCE=1, run as `node --import tsx <file>`: unlike the tsx CLI this is
 * ONE process, so the pid we hold is the process we measure.
 */
export function nodeTs(file: string, ...args: string[]): string[] {
  if (file.startsWith('src/') && fromBuild) return nodeFromBuild(fromBuild, file, ...args);
  if (file.startsWith('src/') && !fromSource) return [process.execPath, compiledOf(file), ...args];
  return [process.execPath, '--import', 'tsx', path.join(REPO, file), ...args];
}

/**
 * The argv that runs `file` (a path under src/) from another build of the product, made by
 * `node scripts/build.mjs --out DIR` (inside the repository, so that it finds node_modules): the
 * code before a change, measured in the same run as the code after it. Not checked against src/.
 */
export function nodeFromBuild(dist: string, file: string, ...args: string[]): string[] {
  const out = path.resolve(REPO, dist, file.slice('src/'.length).replace(/\.ts$/, '.js'));
  if (!existsSync(out)) throw new Error(`${path.relative(REPO, out)} is missing: build it with \`node scripts/build.mjs --out ${dist}\``);
  return [process.execPath, out, ...args];
}

/** Extra `node` flags for the nodes under test only (BENCH_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=bench/.tmp/prof"). */
export function nodeFlags(): string[] {
  return process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
}

/** dist/ path of a src/ file; refuses a missing or stale build rather than measure old code. */
function compiledOf(file: string): string {
  const out = path.join(REPO, 'dist', file.slice('src/'.length).replace(/\.ts$/, '.js'));
  const built = existsSync(out) ? statSync(out).mtimeMs : undefined;
  if (built === undefined) throw new Error(`${path.relative(REPO, out)} is missing: run \`npm run build\` (npm run bench does)`);
  const src = path.join(REPO, 'src');
  const newer = readdirSync(src, { recursive: true, withFileTypes: true })
    .find((e) => e.isFile() && !e.name.endsWith('.test.ts') && statSync(path.join(e.parentPath, e.name)).mtimeMs > built);
  if (newer) throw new Error(`dist/ is older than src/ (${path.relative(REPO, path.join(newer.parentPath, newer.name))}): run \`npm run build\` (npm run bench does)`);
  return out;
}

/** Provider, node and nginx share one CPU; the load generator has the other to itself. */
export const SERVER_CPU = 1;
export const LOAD_CPU = 0;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let pinnable: boolean | undefined;
/** True when taskset exists and both CPUs 0 and 1 may be used. */
export function canPin(): boolean {
  pinnable ??= spawnSync('taskset', ['-c', '0,1', 'true']).status === 0;
  return pinnable;
}

export interface Child {
  name: string;
  pid: number;
  proc: ChildProcess;
  exited: Promise<number | null>;
  /** The last few KB of what it printed, kept for error messages. */
  tail(): string;
  stdout(): string;
}

const running = new Set<Child>();

/** Spawns argv, under `taskset -c cpu` when pinning works (taskset execs, so the pid stays the same). */
export function spawnChild(name: string, argv: string[], opts: { cpu?: number; env?: NodeJS.ProcessEnv; keepStdout?: boolean } = {}): Child {
  const full = opts.cpu !== undefined && canPin() ? ['taskset', '-c', String(opts.cpu), ...argv] : argv;
  const proc = spawn(full[0]!, full.slice(1), { cwd: REPO, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (proc.pid === undefined) throw new Error(`cannot start ${name} (${full[0]})`);
  let tail = '';
  let out = '';
  // Always drain the pipes: a child blocked on a full pipe would look like a slow server.
  const keep = (s: string) => { tail = (tail + s).slice(-4000); };
  proc.stdout!.setEncoding('utf8').on('data', (s: string) => { keep(s); if (opts.keepStdout) out += s; });
  proc.stderr!.setEncoding('utf8').on('data', keep);
  const exited = new Promise<number | null>((r) => proc.once('exit', (code, sig) => r(code ?? (sig ? 128 : null))));
  const child: Child = { name, pid: proc.pid, proc, exited, tail: () => tail, stdout: () => out };
  running.add(child);
  void exited.then(() => running.delete(child));
  return child;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once 127.0.0.1:port accepts a connection; fails early if the child dies meanwhile. */
export async function waitForPort(port: number, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void child.exited.then(() => { dead = true; });
  for (;;) {
    if (dead) throw new Error(`${child.name} exited before port ${port} answered:\n${child.tail()}`);
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); r(true); });
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${child.name}: port ${port} did not answer within ${timeoutMs} ms:\n${child.tail()}`);
    await sleep(100);
  }
}

/** Our child and every process under it, each with its start time (pid recycling guard). */
function treeOf(pid: number): { pid: number; start: string }[] {
  const out: { pid: number; start: string }[] = [];
  const visit = (p: number) => {
    const start = startTimeOf(p);
    if (start === undefined) return;
    out.push({ pid: p, start });
    for (const c of childrenOf(p)) visit(c);
  };
  visit(pid);
  return out;
}

function signal(p: { pid: number; start: string }, sig: NodeJS.Signals): void {
  if (startTimeOf(p.pid) !== p.start) return; // gone, or the pid now belongs to someone else
  try { process.kill(p.pid, sig); } catch { /* exited meanwhile */ }
}

/** SIGTERM (the node closes its store and record chain on it), then SIGKILL after graceMs. */
export async function stopChild(child: Child, graceMs = 3000): Promise<void> {
  const tree = treeOf(child.pid);
  if (tree.length === 0) return;
  signal(tree[0]!, 'SIGTERM');
  await Promise.race([child.exited, sleep(graceMs)]);
  for (const p of tree) signal(p, 'SIGKILL');
  await Promise.race([child.exited, sleep(1000)]);
}

/** Stops every child still running, newest first. */
export async function stopAll(): Promise<void> {
  for (const c of [...running].reverse()) await stopChild(c);
}

/** Last resort on a synchronous exit path: SIGKILL what is left (our own pids only). */
export function killAllNow(): void {
  for (const c of running) {
    for (const p of treeOf(c.pid)) signal(p, 'SIGKILL');
  }
}

/**
 * Runs bench/paced.ts (a constant rate, `rate` per second) as the load instead of autocannon, with
 * runLoad's contract: `onMeasuring` when the warm-up is over, a LoadResult at the end.
 */
export async function runPaced(spec: LoadSpec, rate: number, onMeasuring?: () => void): Promise<LoadResult> {
  const paced = { url: spec.url, headers: spec.headers, rate, durationS: spec.durationS, warmupS: spec.warmupS };
  const r = await runLoad(spec, onMeasuring, { script: 'bench/paced.ts', arg: JSON.stringify(paced) }) as unknown as {
    rps: number; answered: number; errors: number; non2xx: number; p50_ms: number; p99_ms: number; seconds: number; genCpuPct: number;
  };
  return {
    rps: r.rps, p50_ms: r.p50_ms, p99_ms: r.p99_ms, total: r.answered + r.non2xx, ok2xx: r.answered, non2xx: r.non2xx, errors: r.errors,
    timeouts: 0, statusCodes: { ...(r.answered > 0 ? { 200: r.answered } : {}), ...(r.non2xx > 0 ? { other: r.non2xx } : {}) },
    durationS: r.seconds, genCpuPct: r.genCpuPct,
  };
}

/**
 * Runs bench/load.ts as a child on LOAD_CPU. `onMeasuring` fires when the warm-up is over and the
 * measured run starts; the child is killed if it overruns its duration by 30 s.
 */
export async function runLoad(spec: LoadSpec, onMeasuring?: () => void, o: { pinned?: boolean; script?: string; arg?: string } = {}): Promise<LoadResult> {
  const child = spawnChild('load generator', nodeTs(o.script ?? 'bench/load.ts', o.arg ?? JSON.stringify(spec)), { cpu: o.pinned === false ? undefined : LOAD_CPU, keepStdout: true });
  let fired = false;
  child.proc.stdout!.on('data', () => {
    if (!fired && child.stdout().includes('MEASURING\n')) {
      fired = true;
      onMeasuring?.();
    }
  });
  const limitMs = (spec.warmupS + spec.durationS + 30) * 1000;
  const code = await Promise.race([child.exited, sleep(limitMs).then(() => 'overran' as const)]);
  if (code === 'overran') {
    await stopChild(child);
    throw new Error(`load generator overran ${limitMs} ms:\n${child.tail()}`);
  }
  if (code !== 0 || !fired) throw new Error(`load generator failed (exit ${code}):\n${child.tail()}`);
  return JSON.parse(child.stdout().trim().split('\n').pop()!) as LoadResult;
}
