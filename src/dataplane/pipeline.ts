// The data plane, stated in one place: the stages every exchange passes, in order, and why each
// stands where it does.
import type { Stage, SyncStage } from './stage.ts';
import { identifyCaller } from './stages/identify-caller.ts';
import { resolveService } from './stages/resolve-service.ts';
import { authorizeEndpoint, authorizeService } from './stages/authorize.ts';
import { resolveEndpoint } from './stages/resolve-endpoint.ts';
import { validateRequest } from './stages/validate-request.ts';
import { limitRate } from './stages/limit-rate.ts';
import { route, serveHere } from './stages/route.ts';
import { callProvider } from './stages/call-provider.ts';
import { filterResponse } from './stages/filter-response.ts';
import type { ProviderPools } from './provider-pools.ts';
import type { RateLimiter } from './rate-limiter.ts';
import type { PeerNodes } from './peer-nodes.ts';

export interface PipelineConfig {
  nodeId: string;
  subjectKey: Buffer;
  pools: ProviderPools;
  rateLimiter: RateLimiter;
  now: () => number;
  /** The other nodes, for services homed on one of them; without it such services are refused. */
  peers?: PeerNodes;
}

export interface Pipeline {
  stages: readonly Stage[];
  /** The first stage, which metaservices also run: they answer registered callers only. */
  identifyCaller: SyncStage;
}

/**
 * The stages in order. `where` decides, just before the call, where the exchange goes: on the
 * consumer's node, this node's provider or the provider's node (route); on the provider half, this
 * node's provider or a refusal (serveHere), never another node.
 */
function compose(c: PipelineConfig, where: Stage, peers: PipelineConfig['peers']): Pipeline {
  const identify = identifyCaller();
  const stages = Object.freeze([
    // First: nothing else may be learned or spent for a caller we cannot name.
    identify,
    // Rights are per service, so the service must be known before them.
    resolveService(),
    // Deny by default, before the contract is looked at: a caller without a right to the service
    // learns nothing of its endpoints (an unknown path is refused like a known one).
    authorizeService(c.now),
    // Only now the contract: which endpoint the normalised path names.
    resolveEndpoint(),
    // A right may name one endpoint; checked before any work on the payload.
    authorizeEndpoint(c.now),
    // Only authorized input is parsed; invalid input never reaches a provider.
    validateRequest(c.subjectKey),
    // After validation, so malformed requests do not eat a client's quota.
    limitRate(c.rateLimiter),
    where,
    // Terminal: the only stage that waits on the network (the provider, or its node).
    callProvider(c.pools, peers),
    // The answer is checked and minimised before anything of it leaves the node.
    filterResponse(),
  ]);
  return { stages, identifyCaller: identify };
}

export function createPipeline(c: PipelineConfig): Pipeline {
  return compose(c, route(c.nodeId, c.peers), c.peers);
}

/**
 * The provider half: an exchange another node routed here (src/node/exchange-routes.ts). The
 * consumer's node has identified the caller over its TLS and sends it in X-Road-Client, which this
 * node takes only because the request came over the node port from a node of the exchange; from
 * there on the same stages, run by this node on its own snapshot: its own access check, contract,
 * rate, call and filter, and its own record. Homed here and, when pinned, pinned here; a routed
 * exchange is served here or refused, never sent on.
 */
export function createProviderHalf(c: PipelineConfig): Pipeline {
  return compose(c, serveHere(c.nodeId), undefined);
}
