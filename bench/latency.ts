// Latency the node adds at half of its maximum throughput: the same constant rate (bench/paced.ts)
// against the provider directly and through the node's plain-HTTP port, pinned as in the bench.
//
//   npm run bench -- --latency [--unpinned] [--quick | --duration <s>] [--json]
import { LOAD_CPU, nodeTs, runLoad, spawnChild } from './processes.ts';
import { CLIENT, INQUIRY, startStack } from './stack.ts';

interface Paced { rate: number; sent: number; answered: number; rps: number; errors: number; non2xx: number; p50_ms: number; p99_ms: number }

async function paced(url: string, rate: number, o: { durationS: number; warmupS: number; pinned: boolean }, headers?: Record<string, string>): Promise<Paced> {
  const spec = { url, headers, rate, durationS: o.durationS, warmupS: o.warmupS };
  const child = spawnChild('paced load', nodeTs('bench/paced.ts', JSON.stringify(spec)), { cpu: o.pinned ? LOAD_CPU : undefined, keepStdout: true });
  await child.exited;
  return JSON.parse(child.stdout().trim().split('\n').at(-1)!) as Paced;
}

export async function runLatency(tmp: string, o: { durationS: number; warmupS: number; connections: number; durability: 'full' | 'normal'; json: boolean; pinned: boolean }): Promise<boolean> {
  const say = (line = '') => process.stdout.write(line + '\n');
  const stack = await startStack(tmp, o.durability, { pinned: o.pinned });
  const nodeUrl = `http://127.0.0.1:${stack.ports.http}/r1/IR/GOV${INQUIRY}`;
  const headers = { 'X-Road-Client': CLIENT };
  const max = await runLoad({ url: nodeUrl, headers, connections: o.connections, durationS: 5, warmupS: 2 }, undefined, { pinned: o.pinned });
  const rate = Math.round(max.rps / 2);
  say(`latency at half of the node's maximum: max ${Math.round(max.rps)} rps → ${rate} rps constant rate, ${o.durationS} s after ${o.warmupS} s warm-up, ${o.pinned ? 'pinned as in the bench' : 'unpinned'}`);
  const direct = await paced(`http://127.0.0.1:${stack.providerPort}${INQUIRY}`, rate, o);
  const node = await paced(nodeUrl, rate, o, headers);
  const fmt = (x: number) => x.toFixed(2);
  say('row        rate    answered  p50 ms  p99 ms  errors  non-2xx');
  for (const [name, r] of [['direct', direct], ['node_http', node]] as const) {
    say(`${name.padEnd(9)} ${String(r.rate).padStart(6)} ${String(r.answered).padStart(10)} ${fmt(r.p50_ms).padStart(7)} ${fmt(r.p99_ms).padStart(7)} ${String(r.errors).padStart(7)} ${String(r.non2xx).padStart(8)}`);
  }
  const added = { p50_ms: Number((node.p50_ms - direct.p50_ms).toFixed(2)), p99_ms: Number((node.p99_ms - direct.p99_ms).toFixed(2)) };
  say(`added by the node: p50 ${fmt(added.p50_ms)} ms, p99 ${fmt(added.p99_ms)} ms`);
  if (o.json) say(JSON.stringify({ latency: { rate, direct, node_http: node, added } }));
  return direct.errors + direct.non2xx + node.errors + node.non2xx === 0;
}
