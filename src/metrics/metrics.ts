// Prometheus metrics of the data plane: an observer of finished records, never a stage.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ExchangeRecord } from '../records/record.ts';
import { DURATION_BUCKETS as BUCKETS } from './buckets.ts';
import { routedExchangeMetrics } from './routed-metrics.ts';

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

  private readonly unidentified = new Counter({
    name: 'tabadol_unidentified_refusals_total',
    help: 'Requests refused before their caller could be identified; they leave no record (a flood of them is an attack, not traffic)',
    labelNames: ['error_type'] as const,
    registers: [this.registry],
  });

  /** `errorType` comes from the error catalogue, never from the request: the label set stays bounded. */
  countUnidentified(errorType: string): void {
    this.unidentified.inc({ error_type: errorType });
  }

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

  /** The disk reserve (records/disk-reserve.ts), read when Prometheus scrapes. Workers of one node
   * share a disk: across them the cluster shows the worst state, not a sum. */
  watchDiskReserve(reserve: { readonly breached: boolean; readonly freeBytes: number; readonly reserveBytes: number }): void {
    new Gauge({
      name: 'tabadol_disk_reserve_breached',
      help: '1 while free disk space is below the reserve and new exchanges are refused, else 0',
      registers: [this.registry],
      aggregator: 'max',
      collect() { this.set(reserve.breached ? 1 : 0); },
    });
    new Gauge({
      name: 'tabadol_disk_free_bytes',
      help: 'Free disk space on the file system of the records, as last measured',
      registers: [this.registry],
      aggregator: 'min',
      collect() { this.set(reserve.freeBytes); },
    });
    new Gauge({
      name: 'tabadol_disk_reserve_bytes',
      help: 'The free-space watermark below which new exchanges are refused',
      registers: [this.registry],
      aggregator: 'max',
      collect() { this.set(reserve.reserveBytes); },
    });
  }

  constructor(withProcessMetrics = true) {
    if (withProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'tabadol_' });
    // The exchanges other nodes routed to this process's node port, on the same /metrics.
    routedExchangeMetrics.registerIn(this.registry);
  }

  /** `service` and `client`: as resolved by the pipeline, 'unknown' otherwise (never raw input). */
  observe(r: ExchangeRecord, service: string, client: string): void {
    this.exchanges.inc({ service, client, status: r.status, error_type: r.errorType ?? '' });
    this.duration.observe({ service }, r.durationUs / 1e6);
    if (r.providerUs !== null) this.providerDuration.observe({ service }, r.providerUs / 1e6);
  }
}
