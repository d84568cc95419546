// The routes of the node-to-node port beyond its health (src/node/node-port.ts): one plugin per
// concern (snapshot distribution, exchanges routed to a provider's node, witnessed chain heads,
// rollups), added here. Every route is behind the port's peer check: handlers read the calling
// node with peerOf(req).
import type { NodePortPlugin } from './node-port.ts';

export const NODE_PORT_ROUTES: readonly NodePortPlugin[] = [];
