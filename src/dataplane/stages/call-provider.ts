// The terminal stage: calls the provider through its keep-alive pool with the service's timeout,
// within the pool's bound on exchanges in progress (see provider-pools.ts).
// Redirects are passed back, never followed (X-Road REST protocol); the answer is read whole so
// that it can be checked against the contract and hashed into the record.
//
// It uses undici's low-level dispatch rather than request(): the answer's headers stay a raw list
// (no header object is built per exchange) and no stream wraps the body.
import { performance } from 'node:perf_hooks';
import { errors as undiciErrors, type Dispatcher } from 'undici';
import { Errors, TabadolError } from '../../errors/catalogue.ts';
import { providerRequestHeaders, withoutHeaders } from '../protocol/headers.ts';
import { isTrackerService, TRACKER_PROOF_HEADER } from '../../tracker/tracker-id.ts';
import type { Exchange, ProviderResponse } from '../exchange.ts';
import type { ProviderPools } from '../provider-pools.ts';
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

/**
 * Collects one answer: status, raw headers as latin1 strings, body chunks. undici's bodyTimeout
 * restarts with every chunk, so a provider trickling its answer is held to the service's timeout
 * here: each chunk is checked against the deadline (a provider that stops altogether is caught by
 * bodyTimeout), which costs no timer per exchange.
 */
function collect(pool: Dispatcher, options: Dispatcher.DispatchOptions, deadline: number): Promise<ProviderResponse> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let headers: string[] = [];
    const chunks: Buffer[] = [];
    let size = 0;
    let abort: ((e: Error) => void) | undefined;
    const handler: Dispatcher.DispatchHandler = {
      onConnect(a) { abort = a; },
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
      onError(e) { reject(classify(e)); },
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

export function callProvider(pools: ProviderPools): Stage {
  return {
    name: 'call-provider',
    failMode: 'closed',
    async run(ex) {
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
