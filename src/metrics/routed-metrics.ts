// Prometheus metrics of the provider half (src/node/exchange-routes.ts): exchanges another node routed
// to this one, kept apart from tabadol_exchanges_total (the data door's) so that an operator tells
// the traffic this node's own agencies sent from the traffic it serves for other nodes.
//
// One set per process: a node's port runs in the process of its data plane (node.ts,
// provincial-node.ts), and every ExchangeMetrics of the process shows this set on /metrics. Labels
// are registry data only (service, client and peer node ids, status, a catalogue error type), so
// their number stays bounded.
import { Counter, Histogram, Registry } from 'prom-client';
import type { ExchangeRecord } from '../records/record.ts';
import { DURATION_BUCKETS } from './buckets.ts';

export class RoutedExchangeMetrics {
  readonly registry = new Registry();
  private readonly exchanges = new Counter({
    name: 'tabadol_routed_exchanges_total',
    help: 'Exchanges another node routed to this one, answered or refused by its provider half (recorded on the chain <node>/routed unless the record itself failed), by service, client, the routing node, HTTP status and error type',
    labelNames: ['service', 'client', 'peer_node', 'status', 'error_type'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'tabadol_routed_exchange_duration_seconds',
    help: 'A routed exchange in this node, from the request arriving on the node port to the answer being ready (before its record is committed)',
    labelNames: ['service'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });

  /** Shows these metrics on another registry too (a data plane's /metrics). */
  registerIn(registry: Registry): void {
    registry.registerMetric(this.exchanges);
    registry.registerMetric(this.duration);
  }

  /** `service` and `client`: as resolved by the pipeline, 'unknown' otherwise; `peerNode` as its
   * node certificate proved it (never raw input). */
  observe(r: ExchangeRecord, service: string, client: string, peerNode: string): void {
    this.exchanges.inc({ service, client, peer_node: peerNode, status: r.status, error_type: r.errorType ?? '' });
    this.duration.observe({ service }, r.durationUs / 1e6);
  }
}

/** This process's routed exchanges. */
export const routedExchangeMetrics = new RoutedExchangeMetrics();
