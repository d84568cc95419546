// Where the provider lives. Every provider is local until federation; a service homed on another
// node is refused here with the network error X-Road uses for an unreachable peer node.
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
