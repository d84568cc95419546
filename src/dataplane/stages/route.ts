// Where the provider lives: the service's home node, registry data carried in the snapshot (its
// subsystem's home node, the registry's central node unless it names another), compared with the
// id of the node running this pipeline. A service homed here goes on to its provider; one homed on
// another node goes to that node's node-to-node port (call-provider.ts), whose address the
// snapshot's node list gives (compiled into a map when the snapshot loads). A node the snapshot
// does not list, or lists without an address, is refused with the error X-Road uses for an
// unreachable peer, before anything is sent.
//
// X-Road-Security-Server pins the provider's node. X-Road's client proxy refuses a target server
// that is unknown or does not serve the provider (X_INVALID_SECURITY_SERVER, PR-TARGETSS §2), and
// its server proxy refuses a message targeted at another server; both are done here, rather than
// routing the exchange to a node that does not serve the service. The header's server code is the
// node id and its instance must be this exchange's; nodes have no owner member in the registry
// yet, so its class and member parts are not compared.
import { Errors, fail } from '../../errors/catalogue.ts';
import { decodeIdPart } from '../../identifiers/xroad-id.ts';
import type { Exchange } from '../exchange.ts';
import type { Stage } from '../stage.ts';

/** The node X-Road-Security-Server names (its server code), or undefined when it is not sent. */
function pinnedNode(ex: Exchange): string | undefined {
  if (ex.securityServer === undefined) return undefined;
  // The door checked the form (INSTANCE/CLASS/MEMBER/SERVERCODE, each part decodable).
  const parts = ex.securityServer.split('/');
  const instance = decodeIdPart(parts[0]!, Errors.BadRequest);
  const code = decodeIdPart(parts[3]!, Errors.BadRequest);
  if (instance !== ex.snapshot.instance) fail(Errors.InvalidSecurityServer, `it names instance ${instance}, this exchange is ${ex.snapshot.instance}`);
  return code;
}

/** The consumer's node: a local provider, or the service's home node. */
export function route(nodeId: string): Stage {
  return {
    name: 'route',
    failMode: 'closed',
    run(ex) {
      const home = ex.service!.def.node;
      const pinned = pinnedNode(ex);
      // One home node per service for now. When a subsystem may be served by several nodes (not yet
      // registry data), the candidates are ordered here, by the pin first and then by health, and
      // call-provider tries them in turn: the extension point for failover.
      if (pinned !== undefined && pinned !== home) fail(Errors.InvalidSecurityServer, `node ${pinned}; ${ex.serviceId} is served by node ${home}`);
      if (home === nodeId) return;
      const peer = ex.snapshot.nodes.get(home);
      if (!peer?.url) fail(Errors.NetworkError, `${ex.serviceId} is served by node ${home}, which this node has no route to`);
      ex.route = { nodeId: peer.id, url: peer.url };
    },
  };
}

/**
 * The provider's node, for an exchange a peer node routed here: the service must be homed on this
 * node (a routed exchange is never routed on, so snapshots that disagree cannot make a loop), and a
 * pin must name this node.
 */
export function serveHere(nodeId: string): Stage {
  return {
    name: 'serve-here',
    failMode: 'closed',
    run(ex) {
      const home = ex.service!.def.node;
      const pinned = pinnedNode(ex);
      if (pinned !== undefined && pinned !== nodeId) fail(Errors.NotTargetedNode, `node ${pinned}; this is node ${nodeId}`);
      if (home !== nodeId) fail(Errors.NetworkError, `${ex.serviceId} is served by node ${home}, not by this node, which does not route a routed exchange on`);
    },
  };
}
