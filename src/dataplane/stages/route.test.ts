// The route stage: a service homed on this node goes on to its provider; one homed on another node
// is refused with the error X-Road uses for an unreachable peer, before any provider is called.
import { describe, expect, it } from 'vitest';
import { exchange, NODE_ID, REMOTE_SERVICE, refusalOf, runAll, SERVICE } from '../test-kit.ts';
import { resolveService } from './resolve-service.ts';
import { route } from './route.ts';

describe('route stage', () => {
  it('lets a service homed on this node through', async () => {
    const ex = await runAll(exchange({ serviceId: SERVICE }), [resolveService()]);
    expect(await refusalOf(() => route(NODE_ID).run(ex))).toBeUndefined();
  });

  it('refuses a service homed on another node with Server.ClientProxy.NetworkError, naming the node and not the path', async () => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE }), [resolveService()]);
    const r = await refusalOf(() => route(NODE_ID).run(ex));
    expect(r?.type).toBe('Server.ClientProxy.NetworkError');
    expect(r?.message).toContain('node-2');
    expect(r?.message).not.toContain(ex.servicePath);
    // The same service is local to the node that serves it.
    expect(await refusalOf(() => route('node-2').run(ex))).toBeUndefined();
  });
});
