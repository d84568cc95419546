// Prometheus metrics of the data plane: an observer of finished records, never a stage.
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ExchangeRecord } from '../records/record.ts';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ExchangeMetrics {
  readonly registry = new Registry();
  private readonly exchanges = new Counter({
    name: 'tabadol_exchanges_total',
    help: 'Exchanges finished by this node, by service, client, HTTP status and error type',
    labelNames: ['service', 'client', 'status', 'error_type'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'tabadol_exchange_duration_seconds',
    help: 'Whole exchange in the node, from the request arriving to the answer being ready (before its record is committed)',
    labelNames: ['service'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });
  private readonly providerDuration = new Histogram({
    name: 'tabadol_provider_duration_seconds',
    help: 'The provider call alone',
    labelNames: ['service'] as const,
    buckets: BUCKETS,
    registers: [this.registry],
  });

  /** Counts of the record writer's group commits, read when Prometheus scrapes. */
  watchRecorder(stats: { batches: number; records: number }): void {
    new Counter({
      name: 'tabadol_record_batches_total',
      help: 'Group commits handed to the record writer; records_total / record_batches_total is the mean batch size',
      registers: [this.registry],
      collect() { this.reset(); this.inc(stats.batches); },
    });
    new Counter({
      name: 'tabadol_records_total',
      help: 'Records handed to the record writer',
      registers: [this.registry],
      collect() { this.reset(); this.inc(stats.records); },
    });
  }

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'tabadol_' });
  }

  /** `service` and `client`: as resolved by the pipeline, 'unknown' otherwise (never raw input). */
  observe(r: ExchangeRecord, service: string, client: string): void {
    this.exchanges.inc({ service, client, status: r.status, error_type: r.errorType ?? '' });
    this.duration.observe({ service }, r.durationUs / 1e6);
    if (r.providerUs !== null) this.providerDuration.observe({ service }, r.providerUs / 1e6);
  }
}
