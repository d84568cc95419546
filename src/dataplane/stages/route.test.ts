// The route stage: a service homed on this node goes on to its provider; one homed on another node
// goes to that node's node port when the snapshot lists its address, and is refused with the error
// X-Road uses for an unreachable peer when it does not. X-Road-Security-Server pins the node: a pin
// on a node that does not serve the service is refused, as X-Road's client proxy refuses it. On the
// provider half, a routed exchange is served only for a service homed there, never routed on.
import { describe, expect, it } from 'vitest';
import { exchange, NODE_ID, REMOTE_SERVICE, refusalOf, runAll, runtimeSnapshot, SERVICE } from '../test-kit.ts';
import { resolveService } from './resolve-service.ts';
import { route, serveHere } from './route.ts';
import type { PeerNodes } from '../peer-nodes.ts';

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

/** Served by node-2, then node-3 and this node's neighbour node-4 standing by. */
const withStandbys = runtimeSnapshot((doc) => {
  doc.nodes = [
    { id: NODE_ID, role: 'central', province: null, url: 'https://127.0.0.1:5500' },
    { id: 'node-2', role: 'provincial', province: '23', url: 'https://10.23.0.5:5500' },
    { id: 'node-3', role: 'provincial', province: '07', url: 'https://10.7.0.5:5500' },
    { id: 'node-4', role: 'provincial', province: '10', url: null as unknown as string },
  ];
  doc.services.find((x) => x.id === REMOTE_SERVICE)!.standbyNodes = ['node-4', 'node-3'];
});

/** Peers as the route stage asks about them; only isDown matters to it. */
function peersDown(...down: string[]): PeerNodes {
  return { acquire: () => Promise.reject(new Error('not called')), release: () => undefined, isDown: (n) => down.includes(n), markDown: () => undefined, markUp: () => undefined };
}

describe('route stage, a provider served by several nodes', () => {
  const routed = async (nodeId: string, peers: PeerNodes, securityServer?: string) => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE, snapshot: withStandbys, securityServer }), [resolveService()]);
    const r = await refusalOf(() => route(nodeId, peers).run(ex));
    return { r, order: [ex.route, ...(ex.routeAlternatives ?? [])].filter(Boolean).map((x) => x!.nodeId) };
  };

  it('tries the home node, then the standbys in registry order, leaving out one without an address', async () => {
    expect(await routed(NODE_ID, peersDown())).toEqual({ r: undefined, order: ['node-2', 'node-3'] });
  });

  it('moves a node found down to the end, still tried when nothing else answers', async () => {
    expect((await routed(NODE_ID, peersDown('node-2'))).order).toEqual(['node-3', 'node-2']);
    expect((await routed(NODE_ID, peersDown('node-2', 'node-3'))).order).toEqual(['node-2', 'node-3']);
  });

  it('serves here, with no hop, on a node that stands by for the provider', async () => {
    expect(await routed('node-3', peersDown())).toEqual({ r: undefined, order: [] });
  });

  it('takes a pin on a standby, with no failover, and refuses a pin on a node that does not serve it', async () => {
    expect(await routed(NODE_ID, peersDown(), 'IR/GOV/OPERATOR/node-3')).toEqual({ r: undefined, order: ['node-3'] });
    const refused = await routed(NODE_ID, peersDown(), 'IR/GOV/OPERATOR/node-9');
    expect(refused.r?.type).toBe('Server.ClientProxy.InvalidSecurityServer');
    expect(refused.r?.message).toContain('node-2, node-4, node-3');
  });

  it('lets the provider half serve a routed exchange on a standby node', async () => {
    const ex = await runAll(exchange({ serviceId: REMOTE_SERVICE, snapshot: withStandbys }), [resolveService()]);
    expect(await refusalOf(() => serveHere('node-3').run(ex))).toBeUndefined();
    expect((await refusalOf(() => serveHere('node-5').run(ex)))?.type).toBe('Server.ClientProxy.NetworkError');
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
