// Scaling over cores: the same node_http row with one data-plane worker and with two, nothing
// pinned, so the node may use both cores (the provider and the load generator share them too).
//
//   npm run bench -- --scaling [--quick | --duration <s>] [--json]
import { runLoad, stopChild } from './processes.ts';
import { childrenOf, cpuMicros } from './measure.ts';
import { CLIENT, INQUIRY, startStack } from './stack.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';

export async function runScaling(tmp: string, o: { durationS: number; warmupS: number; connections: number; durability: 'full' | 'normal'; json: boolean }): Promise<boolean> {
  const say = (line = '') => process.stdout.write(line + '\n');
  say(`scaling: node_http unpinned, ${o.connections} connections, ${o.durationS} s after ${o.warmupS} s warm-up, durability ${o.durability}`);
  const rows: Record<string, { rps: number; p50_ms: number; p99_ms: number; cpu_us_per_exchange: number }> = {};
  let ok = true;
  for (const workers of [1, 2]) {
    const dir = await mkdtemp(path.join(tmp, `scaling-${workers}-`));
    const stack = await startStack(dir, o.durability, { workers, pinned: false });
    // The primary and its workers, each with its own threads.
    const pids = () => [stack.node.pid, ...childrenOf(stack.node.pid)];
    let cpu0 = 0;
    const load = await runLoad({
      url: `http://127.0.0.1:${stack.ports.http}/r1/IR/GOV${INQUIRY}`, headers: { 'X-Road-Client': CLIENT },
      connections: o.connections, durationS: o.durationS, warmupS: o.warmupS,
    }, () => { cpu0 = pids().reduce((a, p) => a + cpuMicros(p), 0); }, { pinned: false });
    const cpu = pids().reduce((a, p) => a + cpuMicros(p), 0) - cpu0;
    if (load.non2xx > 0 || load.total === 0) ok = false;
    rows[`workers_${workers}`] = {
      rps: Math.round(load.rps), p50_ms: Number(load.p50_ms.toFixed(2)), p99_ms: Number(load.p99_ms.toFixed(2)),
      cpu_us_per_exchange: Math.round(cpu / Math.max(1, load.total)),
    };
    await stopChild(stack.node);
    await stopChild(stack.provider);
    await rm(dir, { recursive: true, force: true });
  }
  say('workers      rps  p50 ms  p99 ms  cpu µs/exch');
  for (const [name, r] of Object.entries(rows)) {
    say(`${name.replace('workers_', '').padEnd(7)} ${String(r.rps).padStart(8)} ${String(r.p50_ms).padStart(7)} ${String(r.p99_ms).padStart(7)} ${String(r.cpu_us_per_exchange).padStart(12)}`);
  }
  say(`two workers / one: ${(rows.workers_2!.rps / rows.workers_1!.rps).toFixed(2)}×`);
  if (o.json) say(JSON.stringify({ scaling: rows }));
  return ok;
}
