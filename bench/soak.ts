// Memory soak: does the node's memory stay flat under sustained load?
//
//   npm run bench -- --soak 300 [--json]        (10..3600 s; bench/run.ts dispatches here)
//
// Stands up the same provider and node as the bench, finds the node_http maximum rate with a short
// unlimited run, then holds about half of it (autocannon overallRate) for the given time while
// sampling the node's VmRSS every 5 s. Half the maximum keeps the node out of saturation, where
// queues (not leaks) would make memory grow. It prints the series and the growth between the first
// and the last minute (or third of the run, when it is shorter than three minutes), as means and
// as floors (lowest sample); the verdict "flat" is a floor growth under 5 %.
import { runLoad } from './processes.ts';
import { RssSampler, statusKb } from './measure.ts';
import { CLIENT, INQUIRY, startStack } from './stack.ts';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export async function runSoak(tmp: string, o: { seconds: number; connections: number; durability: 'full' | 'normal'; json: boolean }): Promise<boolean> {
  const say = (line = '') => process.stdout.write(line + '\n');
  const stack = await startStack(tmp, o.durability);
  const base = { url: `http://127.0.0.1:${stack.ports.http}/r1/IR/GOV${INQUIRY}`, headers: { 'X-Road-Client': CLIENT }, connections: o.connections };

  const max = await runLoad({ ...base, durationS: 5, warmupS: 2 });
  const rate = Math.max(1, Math.round(max.rps / 2));
  say(`soak: node_http, max ${Math.round(max.rps)} rps → holding ${rate} rps for ${o.seconds} s, ${o.connections} connections, RSS every 5 s`);

  let sampler: RssSampler | undefined;
  const r = await runLoad({ ...base, durationS: o.seconds, warmupS: 0, overallRate: rate }, () => {
    sampler = new RssSampler(stack.node.pid, 5000);
  });
  sampler!.stop();
  const series = sampler!.samples.map((s) => ({ t: Math.round(s.atMs / 1000), mb: s.kb / 1024 }));

  say('t(s)  RSS MB');
  for (const s of series) say(`${String(s.t).padStart(4)}  ${s.mb.toFixed(1)}`);
  const windowS = Math.round(Math.min(60, o.seconds / 3));
  const end = series.at(-1)!.t;
  const firstW = series.filter((s) => s.t <= windowS).map((s) => s.mb);
  const lastW = series.filter((s) => s.t >= end - windowS).map((s) => s.mb);
  const first = mean(firstW);
  const last = mean(lastW);
  const growth = last - first;
  // V8's heap saws up and down by tens of MB between major GCs; a leak shows as a rising floor,
  // so the verdict is on the lowest sample of each window, the means are shown alongside.
  const floorGrowth = Math.min(...lastW) - Math.min(...firstW);
  const floorPct = (floorGrowth / Math.min(...firstW)) * 100;
  const ok = r.non2xx === 0 && r.ok2xx > 0;
  // 5 %: above the noise of V8's heap sizing, far below what a per-exchange leak adds over minutes.
  const flat = floorPct < 5;
  const signed = (x: number, unit: string) => `${x >= 0 ? '+' : ''}${x.toFixed(1)} ${unit}`;
  say(`achieved ${Math.round(r.rps)} rps, ${r.total} requests, non-2xx ${r.non2xx}, errors ${r.errors + r.timeouts}; ` +
    `p50 ${r.p50_ms.toFixed(2)} ms, p99 ${r.p99_ms.toFixed(2)} ms (autocannon paces each connection per second, in bursts: not a latency figure)`);
  say(`RSS over the first ${windowS} s: mean ${first.toFixed(1)} MB, floor ${Math.min(...firstW).toFixed(1)} MB; ` +
    `over the last ${windowS} s: mean ${last.toFixed(1)} MB, floor ${Math.min(...lastW).toFixed(1)} MB`);
  say(`growth: mean ${signed(growth, 'MB')}, floor ${signed(floorGrowth, 'MB')} (${signed(floorPct, '%')}) → ${flat ? 'flat' : 'GROWING'}; ` +
    `VmHWM ${(statusKb(stack.node.pid, 'VmHWM') / 1024).toFixed(1)} MB`);
  if (!ok) say(`!!! INVALID SOAK: status codes ${JSON.stringify(r.statusCodes)}`);
  if (o.json) {
    say(JSON.stringify({ soak: {
      seconds: o.seconds, max_rps: Math.round(max.rps), rate, achieved_rps: Math.round(r.rps), non_2xx: r.non2xx,
      first_mb: Number(first.toFixed(1)), last_mb: Number(last.toFixed(1)), growth_mb: Number(growth.toFixed(1)),
      floor_growth_mb: Number(floorGrowth.toFixed(1)), flat, valid: ok,
      series: series.map((s) => [s.t, Number(s.mb.toFixed(1))]),
    } }));
  }
  return ok && flat;
}
