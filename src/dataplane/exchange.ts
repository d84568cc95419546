// One inquiry passing through the node: what arrived at the door, what the stages learned, and
// what goes back. Stages read it and enrich it; the runner turns it into a record.
import type { IncomingHttpHeaders } from 'node:http';
import type { TabadolError } from '../errors/catalogue.ts';
import type { CompiledEndpoint, CompiledService, Grant, RuntimeSnapshot } from './runtime-snapshot.ts';

export interface ProviderResponse {
  status: number;
  /** Flat [name, value, ...] list, as received. */
  headers: string[];
  body: Buffer;
}

export interface Exchange {
  snapshot: RuntimeSnapshot;
  // --- At the door
  xroadId: string;
  requestId: string;
  method: string;
  serviceId: string;
  /** Everything after the service code, still percent-encoded, without the query. */
  servicePath: string;
  /** The raw query string without '?', or ''. */
  query: string;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
  body: Buffer;
  requestHash: string;
  clientHeader: string | undefined;
  userId: string | undefined;
  issue: string | undefined;
  representedParty: string | undefined;
  /** X-Road-Security-Server as sent (checked for form at the door): pins the provider's node. */
  securityServer?: string | undefined;
  /** Set when the request came over TLS: the subsystem its client certificate is bound to, or null. */
  tls: { authorized: boolean; subsystem: string | undefined; serial: string | undefined; reason: string | undefined } | undefined;
  startedAt: number; // epoch ms
  startedPerf: number; // performance.now()

  // --- Learned by the stages
  client?: string;
  service?: CompiledService;
  endpoint?: CompiledEndpoint;
  params?: Record<string, unknown>;
  parsedBody?: unknown;
  subjectHash?: string;
  grant?: Grant;
  providerMs?: number;
  response?: ProviderResponse;
  error?: TabadolError;
  /** Set by the route stage when the service is served by another node: where the exchange goes. */
  route?: NodeRoute;
  /** The provider's other nodes, in the order they are tried when `route` cannot be reached; the
   * call stage leaves `route` on the node that carried the exchange. */
  routeAlternatives?: NodeRoute[];
  /** On the provider half: the consumer's node that routed the exchange here (its certificate proved it). */
  routedFrom?: string;
}

/** Another node of the exchange, as the snapshot names it: its id and its node-to-node port. */
export interface NodeRoute {
  nodeId: string;
  url: string;
}
