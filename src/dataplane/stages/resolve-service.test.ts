// The resolve-service stage: the service named in the request line, looked up in the snapshot the
// exchange started with.
import { describe, expect, it } from 'vitest';
import { exchange, refusal, runtimeSnapshot, SERVICE } from '../test-kit.ts';
import { resolveService } from './resolve-service.ts';

const stage = resolveService();

describe('resolve-service stage', () => {
  it('enriches the exchange with the compiled service: its provider, origin and base path', async () => {
    const ex = exchange({ serviceId: SERVICE });
    expect(await refusal(() => stage.run(ex))).toBeUndefined();
    expect(ex.service).toMatchObject({ id: SERVICE, providerId: 'IR/GOV/NOCR/identity', origin: 'http://10.0.0.5', basePath: '/nocr' });
  });

  it('refuses a service the snapshot does not hold with Server.ServerProxy.UnknownService', async () => {
    for (const serviceId of ['IR/GOV/NOCR/identity/nobody', SERVICE.toLowerCase(), 'IR/GOV/NOCR/identity']) {
      const ex = exchange({ serviceId });
      expect(await refusal(() => stage.run(ex)), serviceId).toBe('Server.ServerProxy.UnknownService');
      expect(ex.service).toBeUndefined();
    }
  });

  it('reads the snapshot of the exchange: a service removed by a newer one stays known to exchanges in flight', async () => {
    const newer = runtimeSnapshot((d) => { d.services = d.services.filter((s) => s.id !== SERVICE); });
    expect(await refusal(() => stage.run(exchange({ snapshot: newer })))).toBe('Server.ServerProxy.UnknownService');
    expect(await refusal(() => stage.run(exchange()))).toBeUndefined();
  });

  it('takes a base URL without a path as the empty base path', async () => {
    const bare = runtimeSnapshot((d) => { d.services[0]!.baseUrl = 'http://10.0.0.5:8080/'; });
    const ex = exchange({ snapshot: bare });
    await stage.run(ex);
    expect(ex.service).toMatchObject({ origin: 'http://10.0.0.5:8080', basePath: '' });
  });
});
