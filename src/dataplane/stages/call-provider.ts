// The terminal stage: calls the provider through its keep-alive pool with the service's timeout,
// within the pool's bound on exchanges in progress (see provider-pools.ts); or, when the route
// stage sent the exchange to a node serving the service, that node's provider half
// (src/node/exchange-routes.ts) over mutual TLS, within the bound per peer node (peer-nodes.ts).
// Redirects are passed back, never followed (X-Road REST protocol); the answer is read whole so
// that it can be checked against the contract and hashed into the record.
//
// It uses undici's low-level dispatch rather than request(): the answer's headers stay a raw list
// (no header object is built per exchange) and no stream wraps the body.
import { performance } from 'node:perf_hooks';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { Errors, TabadolError, type ErrorSpec } from '../../errors/catalogue.ts';
import { providerRequestHeaders, withoutHeaders } from '../protocol/headers.ts';
import { isTrackerService, TRACKER_PROOF_HEADER } from '../../tracker/tracker-id.ts';
import type { Exchange, NodeRoute, ProviderResponse } from '../exchange.ts';
import type { CompiledService } from '../runtime-snapshot.ts';
import type { ProviderPools } from '../provider-pools.ts';
import { PEER_CONNECT_TIMEOUT_MS, ROUTED_EXCHANGE_PREFIX, type PeerNodes } from '../peer-nodes.ts';
import type { Stage } from '../stage.ts';

const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

function classify(e: unknown): TabadolError {
  if (e instanceof TabadolError) return e;
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
    return new TabadolError(Errors.ServiceTimeout, 'the provider did not answer in time', { cause: e });
  }
  const code = (e as { code?: string }).code;
  if (code && NETWORK_CODES.has(code)) return new TabadolError(Errors.ServiceFailed, `cannot reach the provider (${code})`, { cause: e });
  return new TabadolError(Errors.ServiceFailed, (e as Error).message, { cause: e });
}

/** Errors of exchanges that never left this node for the peer: nothing was written to a socket
 * (collect), or the peer refused them before its provider half ran (callNode). */
const NEVER_SENT = new WeakSet<Error>();

/**
 * Collects one answer: status, raw headers as latin1 strings, body chunks. undici's bodyTimeout
 * restarts with every chunk, so a provider trickling its answer is held to the service's timeout
 * here: each chunk is checked against the deadline (a provider that stops altogether is caught by
 * bodyTimeout), which costs no timer per exchange.
 */
function collect(pool: Dispatcher, options: Dispatcher.DispatchOptions, deadline: number, classifyError = classify): Promise<ProviderResponse> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: string[] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    let abort: ((e: Error) => void) | undefined;
    let written = false;
    const handler: Dispatcher.DispatchHandler = {
      // undici calls this on a connected socket just before it writes the request (client-h1's
      // writeH1): a failure before it proves nothing was sent.
      onConnect(a) { written = true; abort = a; },
      onHeaders(statusCode, raw) {
        status = statusCode;
        headers = new Array<string>(raw.length);
        for (let i = 0; i < raw.length; i++) headers[i] = raw[i]!.toString('latin1');
        return true;
      },
      onData(chunk) {
        if (performance.now() > deadline) {
          abort?.(new TabadolError(Errors.ServiceTimeout, 'the provider did not finish its answer in time'));
          return false;
        }
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) {
          abort?.(new TabadolError(Errors.ServiceFailed, `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`));
          return false;
        }
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        resolve({ status, headers, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size) });
      },
      onError(e) {
        const err = classifyError(e);
        if (!written) NEVER_SENT.add(err);
        reject(err);
      },
    };
    pool.dispatch(options, handler);
  });
}

const PROOF = new Set([TRACKER_PROOF_HEADER]);

/**
 * The headers toward the provider. Toward the node's own data tracker only, the subject's keyed
 * hash goes along as its proof that the inquiry passed this data plane (src/tracker/tracker-id.ts);
 * a consumer's own header of that name is dropped first, so only the node's reaches the tracker.
 * No other provider ever receives a subject hash.
 */
function headersFor(ex: Exchange): string[] {
  const headers = providerRequestHeaders(ex.rawHeaders, ex);
  if (ex.subjectHash === undefined || !isTrackerService(ex.service!.id)) return headers;
  const out = withoutHeaders(headers, PROOF);
  out.push(TRACKER_PROOF_HEADER, ex.subjectHash);
  return out;
}

export function callProvider(pools: ProviderPools, peers?: PeerNodes): Stage {
  return {
    name: 'call-provider',
    failMode: 'closed',
    async run(ex) {
      if (ex.route) return callNodes(ex, ex.route, peers);
      const service = ex.service!;
      // Refused at once, before any time is spent, when the provider's pool and queue are full.
      const origin = pools.acquire(service.origin);
      const t0 = performance.now();
      try {
        ex.response = await collect(origin.pool, {
          method: ex.method as Dispatcher.HttpMethod,
          // Nothing after the service code reaches the base URL itself (X-Road's RestRequest).
          path: (service.basePath + ex.servicePath || '/') + (ex.query ? '?' + ex.query : ''),
          headers: headersFor(ex),
          body: ex.body.length > 0 ? ex.body : null,
          headersTimeout: service.def.timeoutMs,
          bodyTimeout: service.def.timeoutMs,
        }, t0 + service.def.timeoutMs);
      } finally {
        pools.release(origin);
        ex.providerMs = performance.now() - t0;
      }
    },
  };
}

/**
 * Beyond the service's timeout, the time the provider's node is given to record the exchange and
 * answer: its own ServiceTimeout (coded, recorded on its side) then reaches the consumer rather
 * than this node giving up first.
 */
const PEER_MARGIN_MS = 2000;

/**
 * The longest an exchange for `service` can take, wherever it is served: the provider's timeout,
 * the margin a provider's node is given, and a connect timeout for each serving node failed over
 * from. A node that stops lets exchanges under way run this long, so that none loses its record.
 */
export function longestExchangeMs(service: CompiledService): number {
  return service.def.timeoutMs + PEER_MARGIN_MS + (service.servingNodes.length - 1) * PEER_CONNECT_TIMEOUT_MS;
}

/** Exchange errors by type (case-insensitive, as X-Road 7.8 lower-cased them), to relay a peer's refusal. */
const EXCHANGE_ERRORS = new Map<string, ErrorSpec>();
for (const spec of Object.values(Errors) as ErrorSpec[]) {
  const type = spec.type.toLowerCase();
  if ((type.startsWith('server.') || type.startsWith('client.')) && !EXCHANGE_ERRORS.has(type)) EXCHANGE_ERRORS.set(type, spec);
}

/** The provider node's refusal, relayed as the same coded error; its own port's refusals (Node.*) mean no route. */
function relayed(type: string, nodeId: string): TabadolError {
  const spec = EXCHANGE_ERRORS.get(type.toLowerCase());
  if (spec) return new TabadolError(spec, `refused by the provider's node ${nodeId}`);
  return new TabadolError(Errors.NetworkError, `node ${nodeId} refused the exchange (${type.slice(0, 64)})`);
}

function classifyPeer(nodeId: string) {
  return (e: unknown): TabadolError => {
    if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
      return new TabadolError(Errors.ServiceTimeout, `the provider's node ${nodeId} did not answer in time`, { cause: e });
    }
    if (e instanceof TabadolError && e.spec === Errors.ServiceTimeout) return e;
    // The peer's certificate check (node-client.ts) fails the handshake with its own coded error.
    const cause = e instanceof TabadolError ? e : (e as { cause?: unknown }).cause;
    if (cause instanceof TabadolError) return new TabadolError(Errors.NetworkError, `node ${nodeId}: ${cause.message}`, { cause: e });
    return new TabadolError(Errors.NetworkError, `node ${nodeId}: ${(e as { code?: string }).code ?? 'failed'}`, { cause: e });
  };
}

/** The value of the first header of that (lower-case) name in a flat list, or undefined. */
function headerOf(list: string[], name: string): string | undefined {
  for (let i = 0; i < list.length; i += 2) if (list[i]!.length === name.length && list[i]!.toLowerCase() === name) return list[i + 1];
  return undefined;
}

/** The service identifier as a request target: each part percent-encoded on its own (PR-REST §4.3). */
function encodedServiceId(serviceId: string): string {
  return serviceId.split('/').map(encodeURIComponent).join('/');
}

/**
 * Whether the exchange provably never reached the peer's provider half, so that the next node may
 * be tried without a provider being asked twice: no byte of it was written (no connection, a failed
 * handshake or node binding), this node's place in the queue for the peer was refused, or the peer
 * refused it at its door before any provider call.
 */
function neverSent(e: unknown): boolean {
  return e instanceof TabadolError && (NEVER_SENT.has(e) || e.spec === Errors.PeerNodeBusy);
}

/** The peer's refusals that come before its pipeline calls any provider: its node port's own
 * (Node.*: no snapshot, this node's certificate refused, closing) and its expired snapshot. */
function refusedBeforeProvider(type: string): boolean {
  return type.startsWith('Node.') || type.toLowerCase() === Errors.OutdatedSnapshot.type.toLowerCase();
}

/** A peer that took no connection, or gave no answer in time, is down until it answers a health check. */
function downAfter(e: unknown): boolean {
  // A timeout the peer itself relayed (no cause) means the peer is up and its provider slow.
  return neverSent(e) || (e instanceof TabadolError && e.spec === Errors.ServiceTimeout && e.cause !== undefined);
}

/**
 * Sends the exchange to `first` and, when it cannot be reached, to the provider's other nodes in
 * the route stage's order. `ex.route` is left on the node that carried (or last refused) it.
 */
async function callNodes(ex: Exchange, first: NodeRoute, peers: PeerNodes | undefined): Promise<void> {
  const rest = ex.routeAlternatives;
  for (let i = 0, route = first; ; route = rest![i++]!) {
    ex.route = route;
    try {
      return await callNode(ex, route, peers);
    } catch (e) {
      const busy = e instanceof TabadolError && e.spec === Errors.PeerNodeBusy;
      if (!busy && downAfter(e)) peers?.markDown(route.nodeId, route.url);
      if (rest === undefined || i >= rest.length || !neverSent(e)) throw e;
    }
  }
}

/**
 * Sends the exchange to the provider's node: the normalised target, the verified caller in
 * X-Road-Client (which the peer trusts only because this node proved itself a node of the
 * exchange), and this node's request id and request hash, so that both nodes record the same ones.
 */
async function callNode(ex: Exchange, route: NodeRoute, peers: PeerNodes | undefined): Promise<void> {
  if (!peers) throw new TabadolError(Errors.NetworkError, `this node has no node-to-node client to reach node ${route.nodeId}`);
  const service = ex.service!;
  const dispatcher = await peers.acquire(route.nodeId);
  const t0 = performance.now();
  const timeout = service.def.timeoutMs + PEER_MARGIN_MS;
  try {
    const headers = providerRequestHeaders(ex.rawHeaders, ex);
    headers.push('x-road-request-hash', ex.requestHash);
    const res = await collect(dispatcher, {
      origin: route.url,
      method: ex.method as Dispatcher.HttpMethod,
      path: `${ROUTED_EXCHANGE_PREFIX}/r1/${encodedServiceId(ex.serviceId)}${ex.servicePath}${ex.query ? '?' + ex.query : ''}`,
      headers,
      body: ex.body.length > 0 ? ex.body : null,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    }, t0 + timeout, classifyPeer(route.nodeId));
    // The provider node strips every X-Road-* header of the provider's answer: one here is its own.
    const refusal = headerOf(res.headers, 'x-road-error');
    if (refusal === undefined || !refusedBeforeProvider(refusal)) peers.markUp(route.nodeId);
    if (refusal !== undefined) {
      const e = relayed(refusal, route.nodeId);
      if (refusedBeforeProvider(refusal)) NEVER_SENT.add(e);
      throw e;
    }
    // Every answer of the provider half echoes this exchange's request id (door.ts); an answer
    // without it came from something else on that port, and is nobody's answer to record as one.
    if (headerOf(res.headers, 'x-road-request-id') !== ex.requestId) {
      throw new TabadolError(Errors.NetworkError, `node ${route.nodeId} answered ${res.status} outside its provider half`);
    }
    ex.response = res;
  } finally {
    peers.release(route.nodeId);
    ex.providerMs = performance.now() - t0;
  }
}
