// The terminal stage: calls the provider through its keep-alive pool with the service's timeout.
// Redirects are passed back, never followed (X-Road REST protocol); the answer is read whole so
// that it can be checked against the contract and hashed into the record.
import { performance } from 'node:perf_hooks';
import { errors as undiciErrors } from 'undici';
import { Errors, fail, isTabadolError } from '../../errors/catalogue.ts';
import { providerRequestHeaders } from '../protocol/headers.ts';
import type { ProviderPools } from '../provider-pools.ts';
import type { Stage } from '../stage.ts';

const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

function classify(e: unknown): never {
  if (e instanceof undiciErrors.HeadersTimeoutError || e instanceof undiciErrors.BodyTimeoutError) {
    fail(Errors.ServiceTimeout, 'the provider did not answer in time', e);
  }
  const code = (e as { code?: string }).code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') {
    fail(Errors.ServiceFailed, `cannot reach the provider (${code})`, e);
  }
  fail(Errors.ServiceFailed, (e as Error).message, e);
}

export function callProvider(pools: ProviderPools): Stage {
  return {
    name: 'call-provider',
    failMode: 'closed',
    async run(ex) {
      const service = ex.service!;
      const headers = providerRequestHeaders(ex.rawHeaders, {
        'x-road-client': ex.client!,
        'x-road-service': ex.serviceId,
        'x-road-id': ex.xroadId,
        'x-road-request-id': ex.requestId,
      });
      const path = service.basePath + ex.servicePath + (ex.query ? '?' + ex.query : '');
      const t0 = performance.now();
      try {
        const res = await pools.get(service.origin).request({
          method: ex.method as 'GET',
          path,
          headers,
          body: ex.body.length > 0 ? ex.body : null,
          headersTimeout: service.def.timeoutMs,
          bodyTimeout: service.def.timeoutMs,
        });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of res.body) {
          size += (chunk as Buffer).length;
          if (size > MAX_RESPONSE_BYTES) {
            res.body.destroy();
            fail(Errors.ServiceFailed, `the answer is larger than ${MAX_RESPONSE_BYTES} bytes`);
          }
          chunks.push(chunk as Buffer);
        }
        ex.response = {
          status: res.statusCode,
          headers: res.headers as Record<string, string | string[]>,
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        };
      } catch (e) {
        if (isTabadolError(e)) throw e;
        classify(e);
      } finally {
        ex.providerMs = performance.now() - t0;
      }
    },
  };
}
