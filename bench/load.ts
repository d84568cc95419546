// The load generator, run as a process of its own (pinned to CPU 0 by the orchestrator): an
// optional unmeasured warm-up, then the measured autocannon run. It prints the line `MEASURING`
// when the measured run starts (so the orchestrator can start reading the node's CPU clock exactly
// then) and, last, one JSON line with the result.
//   Usage: node --import tsx bench/load.ts '<LoadSpec as JSON>'
//
// Latency percentiles are computed here from autocannon's per-response times (sub-ms precision)
// rather than taken from its histogram, which records whole milliseconds only: at a few ms per
// exchange that rounding would hide the difference being measured. As in autocannon, only 2xx
// responses count towards latency.
import { readFileSync } from 'node:fs';
import autocannon, { type Options } from 'autocannon';

export interface LoadSpec {
  url: string;
  connections: number;
  durationS: number;
  warmupS: number;
  headers?: Record<string, string>;
  /** PEM files of the client certificate presented on every TLS connection. */
  tls?: { certPath: string; keyPath: string; caPath: string };
  /** Requests per second over all connections; unlimited when absent. */
  overallRate?: number;
}

export interface LoadResult {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  /** Responses completed in the measured run (any status). */
  total: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationS: number;
  /** CPU the load generator itself used during the measured run, % of one CPU: near 100 means the
   * generator, not the server, set the pace. */
  genCpuPct: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  const base: Options = { url: spec.url, connections: spec.connections, headers: spec.headers ?? {} };
  if (spec.overallRate) base.overallRate = spec.overallRate;
  if (spec.tls) {
    // autocannon hands tlsOptions to tls.connect (it forces rejectUnauthorized off itself).
    base.tlsOptions = { cert: readFileSync(spec.tls.certPath), key: readFileSync(spec.tls.keyPath), ca: readFileSync(spec.tls.caPath) };
  }

  if (spec.warmupS > 0) await autocannon({ ...base, duration: spec.warmupS });
  process.stdout.write('MEASURING\n');

  let latencies = new Float64Array(1 << 16);
  let n = 0;
  const cpu0 = process.cpuUsage();
  const run = autocannon({ ...base, duration: spec.durationS });
  run.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status < 200 || status > 299) return;
    if (n === latencies.length) {
      const grown = new Float64Array(n * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[n++] = ms;
  });
  const r = await run;
  const cpu = process.cpuUsage(cpu0);
  const sorted = latencies.subarray(0, n).sort();
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(r.statusCodeStats)) statusCodes[code] = Number(count);
  const result: LoadResult = {
    rps: r.requests.average,
    p50_ms: percentile(sorted, 0.5),
    p99_ms: percentile(sorted, 0.99),
    total: r.requests.total,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes,
    durationS: r.duration,
    genCpuPct: ((cpu.user + cpu.system) / 1e6 / r.duration) * 100,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`load generator failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
