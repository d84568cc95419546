// The route stage: a service homed on this node goes on to its provider; one homed on another node
// goes to that node's node port when the snapshot lists its address, and is refused with the error
// X-Road uses for an unreachable peer when it does not. X-Road-Security-Server pins the node: a pin
// on a node that does not serve the service is refused, as X-Road's client proxy refuses it. On the
// provider half, a routed exchange is served only for a service homed there, never routed on.
import { describe, expect, it } from 'vitest';
import { exchange, NODE_ID, REMOTE_SERVICE, refusalOf, runAll, runtimeSnapshot, SERVICE } from '../test-kit.ts';
import { resolveService } from './resolve-service.ts';
import { route, serveHere } from './route.ts';

const withNodes = runtimeSnapshot((doc) => {
  doc.nodes = [
    { id: NODE_ID, role: 'central', province: null, url: 'https://127.0.0.1:5500' },
    { id: 'node-2', role: 'provincial', province: '23', url: 'https://10.23.0.5:5500' },
  ];
});

describe('route stage', () => {
  it('lets a service homed on this node through, to its own provider', async () => {
    const ex = await runAll(exchange({ serviceId: SERVICE, snapshot: withNodes }), [resolveService()]);
    expect(await refusalOf(() => route(NODE_ID).run(ex))).toBeUndefined();
    expect(ex.route).toBeUndefined();
  });

  it('sends a service homed on another node to that node\'s node port, from the snapshot\'s node list', async () => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE, snapshot: withNodes }), [resolveService()]);
    expect(await refusalOf(() => route(NODE_ID).run(ex))).toBeUndefined();
    expect(ex.route).toEqual({ nodeId: 'node-2', url: 'https://10.23.0.5:5500' });
  });

  it('refuses a service homed on a node the snapshot has no address for with Server.ClientProxy.NetworkError, naming the node and not the path', async () => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE }), [resolveService()]);
    const r = await refusalOf(() => route(NODE_ID).run(ex));
    expect(r?.type).toBe('Server.ClientProxy.NetworkError');
    expect(r?.message).toContain('node-2');
    expect(r?.message).not.toContain(ex.servicePath);
    expect(ex.route).toBeUndefined();
    // The same service is local to the node that serves it.
    expect(await refusalOf(() => route('node-2').run(ex))).toBeUndefined();
  });

  it('takes X-Road-Security-Server naming the home node, and refuses one naming another node or instance', async () => {
    const pinned = async (securityServer: string) => {
      const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE, snapshot: withNodes, securityServer }), [resolveService()]);
      return { r: await refusalOf(() => route(NODE_ID).run(ex)), ex };
    };
    const ok = await pinned('IR/GOV/OPERATOR/node-2');
    expect(ok.r).toBeUndefined();
    expect(ok.ex.route?.nodeId).toBe('node-2');
    const other = await pinned(`IR/GOV/OPERATOR/${NODE_ID}`);
    expect(other.r?.type).toBe('Server.ClientProxy.InvalidSecurityServer');
    expect(other.ex.route).toBeUndefined();
    expect((await pinned('EE/GOV/OPERATOR/node-2')).r?.type).toBe('Server.ClientProxy.InvalidSecurityServer');
  });
});

describe('serve-here stage (the provider half)', () => {
  it('serves a routed exchange for a service homed here, and never routes one on', async () => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE, snapshot: withNodes }), [resolveService()]);
    expect(await refusalOf(() => serveHere('node-2').run(ex))).toBeUndefined();
    expect((await refusalOf(() => serveHere(NODE_ID).run(ex)))?.type).toBe('Server.ClientProxy.NetworkError');
    expect(ex.route).toBeUndefined();
  });

  it('refuses an exchange pinned on another node with Server.ServerProxy.InvalidSecurityServer', async () => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE, snapshot: withNodes, securityServer: `IR/GOV/OPERATOR/${NODE_ID}` }), [resolveService()]);
    expect((await refusalOf(() => serveHere('node-2').run(ex)))?.type).toBe('Server.ServerProxy.InvalidSecurityServer');
  });
});
