// The node's side of the statistics reader's thread (rollup-thread.ts): the same questions as
// LocalRollups (rollup-reader.ts), answered later. The thread answers one question at a time; at
// most `maxWaiting` wait for it, and a question beyond that is refused at once (Admin.StatsBusy)
// rather than queued without bound. Each question has a time limit (Admin.StatsTimeout). If the
// thread dies, every question in flight fails with Admin.StatsUnavailable (none hangs) and the next
// question starts a new thread.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Errors, fail, TabadolError, type ErrorSpec } from '../errors/catalogue.ts';
import type { ServiceLevel } from '../registry/oversight-data.ts';
import type { SlaMonthResult } from '../compliance/sla-evaluation.ts';
import { threadEntry } from '../threads/thread-entry.ts';
import { MapDirectory } from './map-directory.ts';
import type { RollupReader, ServiceOutcomes } from './rollup-reader.ts';
import type { RollupMethod, RollupReply, RollupThreadData, StatsQueryData } from './rollup-thread.ts';
import type { StatsAnswer, StatsQuery } from './stats.ts';

const ENTRY = threadEntry(import.meta.url, 'rollup-thread');

/** A year's overview takes about half a second on the 1399 scenario's history; a report reads a few
 * years. Thirty seconds is far beyond both and well within a browser's or a script's patience. */
export const STATS_TIMEOUT_MS = 30_000;
/** Questions waiting for the thread: a few dashboards, the admin API and the timers at once. */
export const STATS_MAX_WAITING = 32;

export interface RollupThreadOptions {
  recordsFile: string;
  nodeId?: string | undefined;
  log: Pick<Logger, 'error'>;
  timeoutMs?: number;
  maxWaiting?: number;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

export class RollupThread implements RollupReader {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private readonly timeoutMs: number;
  private readonly maxWaiting: number;

  constructor(private readonly o: RollupThreadOptions) {
    this.timeoutMs = o.timeoutMs ?? STATS_TIMEOUT_MS;
    this.maxWaiting = o.maxWaiting ?? STATS_MAX_WAITING;
  }

  /** Questions asked and not yet answered. */
  get waiting(): number {
    return this.pending.size;
  }

  query(q: StatsQuery): Promise<StatsAnswer> {
    const { directory, ...rest } = q;
    // Names cross as maps: registryDirectory() makes a MapDirectory; any other Directory has functions.
    const data: StatsQueryData = directory === undefined ? rest : { ...rest, directory: directoryData(directory) };
    return this.ask('query', [data]) as Promise<StatsAnswer>;
  }

  evaluateMonth(levels: readonly ServiceLevel[], month: string, now: Date): Promise<SlaMonthResult[]> {
    return this.ask('evaluateMonth', [levels, month, now]) as Promise<SlaMonthResult[]>;
  }

  servicesOfMonth(month: string): Promise<Map<string, ServiceOutcomes>> {
    return this.ask('servicesOfMonth', [month]) as Promise<Map<string, ServiceOutcomes>>;
  }

  answeredByClient(serviceId: string, month: string): Promise<Map<string, number>> {
    return this.ask('answeredByClient', [serviceId, month]) as Promise<Map<string, number>>;
  }

  rollupMonths(): Promise<string[]> {
    return this.ask('rollupMonths', []) as Promise<string[]>;
  }

  lastPulls(): Promise<Map<string, string>> {
    return this.ask('lastPulls', []) as Promise<Map<string, string>>;
  }

  /** Stops the thread; questions still waiting fail with Admin.StatsUnavailable. */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = undefined;
    this.failAll('the node is stopping');
    await w?.terminate();
  }

  private ask(method: RollupMethod, args: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(new TabadolError(Errors.StatsUnavailable, 'the node is stopping'));
    if (this.pending.size >= this.maxWaiting) return Promise.reject(new TabadolError(Errors.StatsBusy));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.pending.delete(id)) return;
        // The thread may still be reading it; its late answer finds no one and is dropped.
        reject(new TabadolError(Errors.StatsTimeout, `no answer within ${Math.round(this.timeoutMs / 1000)} s`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      try {
        this.thread().postMessage({ id, method, args });
      } catch (e) {
        this.settle(id)?.reject(e as Error);
      }
    });
  }

  private settle(id: number): Pending | undefined {
    const p = this.pending.get(id);
    if (!p) return undefined;
    this.pending.delete(id);
    clearTimeout(p.timer);
    return p;
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(ENTRY.url, {
      ...ENTRY.options,
      workerData: { recordsFile: this.o.recordsFile, nodeId: this.o.nodeId } satisfies RollupThreadData,
    });
    // Only questions in flight keep the process alive (their timers do), never an idle thread.
    w.unref();
    w.on('message', (m: RollupReply) => {
      const p = this.settle(m.id);
      if (!p) return;
      if ('result' in m) p.resolve(m.result);
      else if ('spec' in m.error) p.reject(new TabadolError(m.error.spec as ErrorSpec, m.error.detail));
      else {
        this.o.log.error({ reason: m.error.reason }, 'statistics reader: a question failed');
        p.reject(new TabadolError(Errors.StatsUnavailable, 'the records database could not be read; the node\'s log says why'));
      }
    });
    w.on('error', (e) => this.o.log.error({ reason: e.message }, 'statistics reader thread failed'));
    w.on('exit', () => {
      if (this.worker !== w) return;
      this.worker = undefined;
      this.failAll('the reader thread stopped');
    });
    this.worker = w;
    return w;
  }

  private failAll(detail: string): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new TabadolError(Errors.StatsUnavailable, detail));
  }
}

function directoryData(d: NonNullable<StatsQuery['directory']>) {
  if (!(d instanceof MapDirectory)) fail(Errors.StatsUnavailable, 'names can cross to the reader as a MapDirectory only');
  return d.data;
}
