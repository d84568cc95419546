// Where the provider lives: the nodes that serve the service, registry data carried in the snapshot
// (its subsystem's home node, the registry's central node unless it names another, then the
// subsystem's standby nodes), compared with the id of the node running this pipeline. A service
// served here goes on to its provider; one served elsewhere goes to a serving node's node-to-node
// port (call-provider.ts), whose address the snapshot's node list gives (compiled into a map when
// the snapshot loads). A serving node the snapshot does not list, or lists without an address, is
// passed over; when no serving node is left, the exchange is refused with the error X-Road uses for
// an unreachable peer, before anything is sent.
//
// Failover follows X-Road's client proxy, which tries the security servers a provider is
// registered on and takes one it can connect to: call-provider.ts moves to the next node only when
// the exchange never reached one, so the provider is never asked twice.
//
// X-Road-Security-Server pins the provider's node. X-Road's client proxy refuses a target server
// that is unknown or does not serve the provider (X_INVALID_SECURITY_SERVER, PR-TARGETSS §2), and
// its server proxy refuses a message targeted at another server; both are done here, rather than
// routing the exchange to a node that does not serve the service. The header's server code is the
// node id and its instance must be this exchange's; nodes have no owner member in the registry
// yet, so its class and member parts are not compared.
import { Errors, fail } from '../../errors/catalogue.ts';
import { decodeIdPart } from '../../identifiers/xroad-id.ts';
import type { Exchange, NodeRoute } from '../exchange.ts';
import type { PeerNodes } from '../peer-nodes.ts';
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

/** The route to `node`, or a refusal when the snapshot gives it no address. */
function routeTo(ex: Exchange, node: string): NodeRoute {
  const peer = ex.snapshot.nodes.get(node);
  if (!peer?.url) fail(Errors.NetworkError, `${ex.serviceId} is served by node ${node}, which this node has no route to`);
  return { nodeId: peer.id, url: peer.url };
}

/**
 * The consumer's node: a local provider, or the nodes that serve the service. A service served by
 * this node (its home node, or one of its standbys) is served here, with no hop. Otherwise the
 * exchange goes to its home node and then its standbys, in registry order, with the nodes found
 * down lately (peer-nodes.ts) moved to the end: they are still tried when nothing else answers.
 * A pin leaves one candidate, with no failover: the caller asked for that node.
 */
export function route(nodeId: string, peers?: PeerNodes): Stage {
  return {
    name: 'route',
    failMode: 'closed',
    run(ex) {
      const serving = ex.service!.servingNodes;
      const pinned = pinnedNode(ex);
      if (pinned !== undefined) {
        if (!serving.includes(pinned)) fail(Errors.InvalidSecurityServer, `node ${pinned}; ${ex.serviceId} is served by ${serving.length === 1 ? 'node ' : 'nodes '}${serving.join(', ')}`);
        if (pinned !== nodeId) ex.route = routeTo(ex, pinned);
        return;
      }
      if (serving.includes(nodeId)) return;
      if (serving.length === 1) {
        ex.route = routeTo(ex, serving[0]!);
        return;
      }
      const up: NodeRoute[] = [];
      const down: NodeRoute[] = [];
      for (const node of serving) {
        const peer = ex.snapshot.nodes.get(node);
        if (!peer?.url) continue;
        (peers?.isDown(node) ? down : up).push({ nodeId: peer.id, url: peer.url });
      }
      const ordered = up.concat(down);
      if (ordered.length === 0) fail(Errors.NetworkError, `${ex.serviceId} is served by nodes ${serving.join(', ')}, none of which this node has a route to`);
      ex.route = ordered[0];
      if (ordered.length > 1) ex.routeAlternatives = ordered.slice(1);
    },
  };
}

/**
 * The provider's node, for an exchange a peer node routed here: the service must be served by this
 * node (a routed exchange is never routed on, so snapshots that disagree cannot make a loop), and a
 * pin must name this node.
 */
export function serveHere(nodeId: string): Stage {
  return {
    name: 'serve-here',
    failMode: 'closed',
    run(ex) {
      const serving = ex.service!.servingNodes;
      const pinned = pinnedNode(ex);
      if (pinned !== undefined && pinned !== nodeId) fail(Errors.NotTargetedNode, `node ${pinned}; this is node ${nodeId}`);
      if (!serving.includes(nodeId)) fail(Errors.NetworkError, `${ex.serviceId} is served by ${serving.join(', ')}, not by this node, which does not route a routed exchange on`);
    },
  };
}
