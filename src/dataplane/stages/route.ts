// Where the provider lives: the service's home node, registry data carried in the snapshot (its
// subsystem's home node, the registry's central node unless it names another), compared with the
// id of the node running this pipeline, which is the registry's central node on the node that owns
// it (registry/central-node.ts). Until federation this node serves only services homed on it; one
// homed on another node is refused with the network error X-Road uses for an unreachable peer.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { Stage } from '../stage.ts';

export function route(nodeId: string): Stage {
  return {
    name: 'route',
    failMode: 'closed',
    run(ex) {
      const home = ex.service!.def.node;
      if (home !== nodeId) fail(Errors.NetworkError, `${ex.serviceId} is served by node ${home}, which this node has no route to`);
    },
  };
}
