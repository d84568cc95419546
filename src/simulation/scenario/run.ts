// Sends the 1399 traffic mix through a RUNNING node: N inquiries, `concurrency` at a time, on the
// node's data port with X-Road's REST protocol, each from a consumer to a service its access right
// allows (mix.ts), with a typical, valid input (the agency's own sample). They are real exchanges:
// the node authorises, validates, calls the simulated agency and records each one.
//
// Outcomes are counted as answered (2xx), refused by the exchange (a Client.* error or access
// denied: the caller's side), or failed (the provider's or the node's side: Server.* errors, a
// provider's own error passed through, the network), each by status and error type.
import { Pool } from 'undici';
import { rngFor } from '../agencies/random.ts';
import type { Mix, MixCell } from './mix.ts';
import { MixSampler } from './mix.ts';

export interface RunOptions {
  /** The node's data port, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly instance: string;
  readonly mix: Mix;
  readonly count: number;
  readonly concurrency: number;
  /** Seed of the draw order and of the inputs; the same seed sends the same traffic. */
  readonly seed: string | number;
  /** Called every `progressEvery` finished inquiries and at the end. */
  readonly onProgress?: (done: number) => void;
  readonly progressEvery?: number;
}

export interface RunSummary {
  readonly sent: number;
  readonly answered: number;
  readonly refused: number;
  readonly failed: number;
  /** `200`, `400 Client.InvalidRequest`, `503 provider service_unavailable`, `network ECONNREFUSED` … */
  readonly outcomes: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  readonly exchangesPerSecond: number;
  readonly byProvider: Readonly<Record<string, number>>;
  readonly byConsumer: Readonly<Record<string, number>>;
  readonly targetProviders: Readonly<Record<string, number>>;
  readonly targetConsumers: Readonly<Record<string, number>>;
}

type Kind = 'answered' | 'refused' | 'failed';

const REFUSALS = new Set(['Server.ServerProxy.AccessDenied', 'Server.ServerProxy.UnknownService']);

function classify(status: number, errorType: string | undefined, body: string): { kind: Kind; outcome: string } {
  if (status >= 200 && status < 300) return { kind: 'answered', outcome: String(status) };
  if (errorType) {
    const refused = errorType.startsWith('Client.') || REFUSALS.has(errorType);
    return { kind: refused ? 'refused' : 'failed', outcome: `${status} ${errorType}` };
  }
  let code = 'error';
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') code = parsed.error;
  } catch {
    // a provider's non-JSON error keeps the generic name
  }
  return { kind: 'failed', outcome: `${status} provider ${code}` };
}

const add = (m: Record<string, number>, k: string): void => {
  m[k] = (m[k] ?? 0) + 1;
};

export async function runScenario(o: RunOptions): Promise<RunSummary> {
  if (!Number.isInteger(o.count) || o.count < 1) throw new RangeError('count must be a positive integer');
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1) throw new RangeError('concurrency must be a positive integer');
  const sampler = new MixSampler(o.mix, o.seed);
  const origin = new URL(o.url).origin;
  const pool = new Pool(origin, { connections: o.concurrency, pipelining: 1 });
  const counts: Record<Kind, number> = { answered: 0, refused: 0, failed: 0 };
  const outcomes: Record<string, number> = {};
  const byProvider: Record<string, number> = {};
  const byConsumer: Record<string, number> = {};
  const every = o.progressEvery ?? 100;
  let next = 0;
  let done = 0;

  async function send(i: number, cell: MixCell): Promise<void> {
    const sample = cell.service.service.sample?.(rngFor(o.seed, 'request', String(i)));
    if (!sample) throw new Error(`${cell.service.id} has no sample inquiry`);
    const body = sample.body === undefined ? undefined : JSON.stringify(sample.body);
    const headers: Record<string, string> = {
      'x-road-client': `${o.instance}/${cell.consumer}`,
      'x-road-userid': `scenario-officer-${i % 500}`,
      'x-road-issue': `scenario 1399 #${i}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    };
    try {
      const res = await pool.request({ method: sample.method, path: `/r1/${o.instance}/${cell.service.id}${sample.path}`, headers, body });
      const errorType = res.headers['x-road-error'];
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      const text = ok ? (await res.body.dump(), '') : await res.body.text();
      const r = classify(res.statusCode, typeof errorType === 'string' ? errorType : undefined, text);
      counts[r.kind]++;
      add(outcomes, r.outcome);
    } catch (e) {
      counts.failed++;
      add(outcomes, `network ${(e as { code?: string }).code ?? (e as Error).message}`);
    }
  }

  async function worker(): Promise<void> {
    while (next < o.count) {
      const i = next++;
      const cell = sampler.draw(i);
      add(byProvider, cell.provider);
      add(byConsumer, cell.consumer);
      await send(i, cell);
      done++;
      if (done % every === 0) o.onProgress?.(done);
    }
  }

  const started = performance.now();
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, o.count) }, worker));
  } finally {
    await pool.close();
  }
  const elapsedMs = performance.now() - started;
  o.onProgress?.(done);
  return {
    sent: o.count,
    ...counts,
    outcomes,
    elapsedMs,
    exchangesPerSecond: (o.count * 1000) / elapsedMs,
    byProvider,
    byConsumer,
    targetProviders: Object.fromEntries(o.mix.providerShares),
    targetConsumers: Object.fromEntries(o.mix.consumerShares),
  };
}
