// The provider half on the node-to-node port: exchanges a consumer's node routed here because this
// node serves the service, as its home node or a standby (src/dataplane/stages/route.ts). The node
// port has authenticated the calling node by its node certificate (node-port.ts; a subsystem's
// certificate, another CA's or none never gets here), and only for that reason is the caller in
// X-Road-Client taken as the consumer's node verified it. From there this node runs its own pipeline
// (createProviderHalf in src/dataplane/pipeline.ts): its own access check, contract, rate, call
// and filter, on its own snapshot; and it keeps its own record, like X-Road's provider security
// server, with the consumer node's X-Road-Id, request id and request hash, so that an auditor joins
// the two records on them.
//
// The records go into a chain of their own, `<node>/routed`, written by a writer of the node port's
// process (the data-plane workers keep theirs): a record on that chain is an exchange another node
// routed here, and names that node (peerNode). As at the data door, the answer leaves only after its
// record is durable, nothing new is started below the disk reserve, and /metrics counts it
// (tabadol_routed_exchanges_total, by the routing node).
import path from 'node:path';
import type { Logger } from 'pino';
import { Errors } from '../errors/catalogue.ts';
import { Recorder } from '../records/recorder.ts';
import { recordsFile } from '../records/record-store.ts';
import { DiskReserve } from '../records/disk-reserve.ts';
import { routedExchangeMetrics } from '../metrics/routed-metrics.ts';
import { loadOrCreateNodeKeys } from '../keys/node-keys.ts';
import { ProviderPools } from '../dataplane/provider-pools.ts';
import { createProviderHalf } from '../dataplane/pipeline.ts';
import { createDoor } from '../dataplane/door.ts';
import { causeForLog } from '../dataplane/log-safe.ts';
import { ROUTED_EXCHANGE_PREFIX } from '../dataplane/peer-nodes.ts';
import { createRateLimiter } from './shared-rate-limits.ts';
import { peerOf, type NodePortPlugin } from './node-port.ts';
import type { NodeConfig } from './config.ts';

/** The chain of the exchanges other nodes routed to `nodeId`. */
export function routedChainId(nodeId: string): string {
  return `${nodeId}/routed`;
}

export function exchangeRoutes(config: NodeConfig, log: Logger): NodePortPlugin {
  return {
    name: 'exchange',
    async register(app, ctx) {
      // The record key and the subject-hash key of this node, as its data planes hold them.
      const keys = await loadOrCreateNodeKeys(config.dataDir);
      const file = recordsFile(config.dataDir);
      // The data door's reserve, on the same file system: a provider's node short of disk refuses a
      // routed exchange as its data door would, before calling the provider.
      const reserve = await DiskReserve.start({
        dir: path.dirname(file), minFree: config.minFreeDisk, intervalMs: config.diskCheckMs, freeSpace: config.freeSpace,
        log: log.child({ door: 'routed' }),
      });
      const recorder = await Recorder.start({
        file,
        chainId: routedChainId(config.nodeId),
        signingKeyPem: keys.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        durability: config.durability,
        checkpointIntervalMs: config.checkpointIntervalMs,
        // Not counted in this node's statistics: the consumer's node counts the exchange (its record
        // has the same outcome), and the centre adds every node's rollups up, so counting it here
        // too would count an exchange between two nodes twice in the country's figures.
        rollups: false,
        retention: config.retention,
        reserve,
        log,
      });
      const pools = new ProviderPools();
      const door = createDoor({
        pipeline: createProviderHalf({ nodeId: config.nodeId, subjectKey: keys.subjectKey, pools, rateLimiter: createRateLimiter(config.now), now: config.now }),
        snapshots: ctx.snapshots,
        record: (r) => recorder.append(r),
        // Labels only from what the pipeline resolved and the peer's certificate proved.
        observers: [(r, ex) => routedExchangeMetrics.observe(r, ex.service?.id ?? 'unknown', ex.client ?? 'unknown', ex.routedFrom ?? 'unknown')],
        refuseNew: () => reserve.refusal(),
        log,
        now: config.now,
        maxBodyBytes: config.maxBodyBytes,
        instance: config.instance,
        providerHalf: true,
      });

      // The door reads the body itself, within the data door's limit, as the consumer's node did.
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', (_req, _payload, done) => { done(null); });
      app.all(`${ROUTED_EXCHANGE_PREFIX}/r1/*`, (req, reply) => {
        const peer = peerOf(req).nodeId;
        // The door writes the answer itself, once the record is durable. Hijacked, the reply owes
        // Fastify nothing: the handler returns nothing rather than a promise for it to follow.
        reply.hijack();
        void door.handle(req.raw, reply.raw, peer).catch((e: unknown) => {
          log.error({ cause: causeForLog(e), peer }, 'unexpected failure of the provider half');
          // Coded, so that the consumer's node relays a refusal rather than take it for an answer.
          if (!reply.raw.headersSent) reply.raw.writeHead(500, { 'x-road-error': Errors.InternalError.type, 'content-type': 'application/json' }).end('{}');
        });
      });

      app.addHook('onClose', async () => {
        // The exchanges under way finish and are recorded, bounded by the longest provider timeout.
        const longest = Math.max(1000, ...[...(ctx.snapshots.current?.services.values() ?? [])].map((s) => s.def.timeoutMs));
        await Promise.race([door.idle(), new Promise((r) => setTimeout(r, longest + 1000).unref())]);
        await recorder.close();
        reserve.stop();
        await pools.close();
      });
    },
  };
}
