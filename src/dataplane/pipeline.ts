// The data plane, stated in one place: the stages every exchange passes, in order, and why each
// stands where it does.
import type { Stage, SyncStage } from './stage.ts';
import { identifyCaller } from './stages/identify-caller.ts';
import { resolveService } from './stages/resolve-service.ts';
import { authorizeEndpoint, authorizeService } from './stages/authorize.ts';
import { resolveEndpoint } from './stages/resolve-endpoint.ts';
import { validateRequest } from './stages/validate-request.ts';
import { limitRate } from './stages/limit-rate.ts';
import { route } from './stages/route.ts';
import { callProvider } from './stages/call-provider.ts';
import { filterResponse } from './stages/filter-response.ts';
import type { ProviderPools } from './provider-pools.ts';
import type { RateLimiter } from './rate-limiter.ts';

export interface PipelineConfig {
  nodeId: string;
  subjectKey: Buffer;
  pools: ProviderPools;
  rateLimiter: RateLimiter;
  now: () => number;
}

export interface Pipeline {
  stages: readonly Stage[];
  /** The first stage, which metaservices also run: they answer registered callers only. */
  identifyCaller: SyncStage;
}

export function createPipeline(c: PipelineConfig): Pipeline {
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
    // Local provider or another node: decided on the snapshot, just before the call.
    route(c.nodeId),
    // Terminal: the only stage that waits on the network.
    callProvider(c.pools),
    // The answer is checked and minimised before anything of it leaves the node.
    filterResponse(),
  ]);
  return { stages, identifyCaller: identify };
}
