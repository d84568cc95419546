// The other nodes of the exchange as the request path reaches them: one dispatcher per peer node
// over mutual TLS (this node's certificate; the peer's certificate checked to be bound to the node
// meant), bounded per peer. The process that runs the data plane provides it
// (src/node/peer-dispatchers.ts), so the request path holds no key or certificate file itself.
import type { Dispatcher } from 'undici';

export interface PeerNodes {
  /**
   * Takes a place for one exchange to `nodeId` and returns its dispatcher, or refuses with a coded
   * error (this node has no node certificate yet, or as many exchanges to that node are in progress
   * as it may have). The caller gives the place back with release().
   */
  acquire(nodeId: string): Promise<Dispatcher>;
  release(nodeId: string): void;
  /**
   * Whether `nodeId` failed lately (no connection, or no answer in time) and has not answered a
   * health check since: the route stage tries a provider's other nodes before it.
   */
  isDown(nodeId: string): boolean;
  /** Marks `nodeId` down after a failure; it is checked at `url` until it answers again. */
  markDown(nodeId: string, url: string): void;
  /** `nodeId` answered an exchange: it is not down, whatever was thought of it. */
  markUp(nodeId: string): void;
}

/** The path of the provider half on a peer's node port (src/node/exchange-routes.ts), before `/r1/...`. */
export const ROUTED_EXCHANGE_PREFIX = '/node/v1/exchange';

/** How long a connection to a peer node may take before it counts as unreachable (and the next
 * serving node is tried). */
export const PEER_CONNECT_TIMEOUT_MS = 5_000;
