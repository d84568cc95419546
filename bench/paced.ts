// A constant-rate (open-loop) load generator, run as a process of its own on the load CPU: every
// millisecond it starts its share of the requests, whether earlier ones have answered or not, so
// latency is measured at a steady rate rather than in bursts (autocannon's overallRate sends each
// connection's quota at the start of every second). Prints `MEASURING` when the measured run starts
// (after the warm-up), then one JSON line.
//   Usage: node --import tsx bench/paced.ts '{"url", "headers", "rate", "durationS", "warmupS"}'
import { Pool } from 'undici';

interface PacedSpec { url: string; headers?: Record<string, string>; rate: number; durationS: number; warmupS: number }

const spec = JSON.parse(process.argv[2]!) as PacedSpec;
const url = new URL(spec.url);
const pool = new Pool(url.origin, { connections: 512 });
const path = url.pathname + url.search;

async function run(seconds: number, record: boolean) {
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const elapsed = (performance.now() - start) / 1000;
      if (elapsed >= seconds) {
        clearInterval(tick);
        resolve();
        return;
      }
      // Catch up to where the schedule says we should be, so a late tick does not lower the rate.
      const due = Math.floor(elapsed * spec.rate);
      for (; sent < due; sent++) {
        const t0 = performance.now();
        inflight.push(pool.request({ method: 'GET', path, headers: spec.headers }).then(async (res) => {
          await res.body.dump();
          if (res.statusCode !== 200) non2xx++;
          else if (record) latencies.push(performance.now() - t0);
        }, () => { errors++; }));
      }
    }, 1);
  });
  await Promise.all(inflight);
  return { latencies, errors, non2xx, sent, seconds: (performance.now() - start) / 1000 };
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;

if (spec.warmupS > 0) await run(spec.warmupS, false);
process.stdout.write('MEASURING\n');
const cpu0 = process.cpuUsage();
const r = await run(spec.durationS, true);
const cpu = process.cpuUsage(cpu0);
r.latencies.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({
  rate: spec.rate, sent: r.sent, answered: r.latencies.length, rps: r.latencies.length / r.seconds, errors: r.errors, non2xx: r.non2xx,
  p50_ms: pct(r.latencies, 50), p99_ms: pct(r.latencies, 99), seconds: r.seconds, genCpuPct: ((cpu.user + cpu.system) / 1e6 / r.seconds) * 100,
}) + '\n');
await pool.close();
