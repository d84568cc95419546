// `POST /node/v1/heads` on the node port: another node hands this node (its centre) the newest signed
// heads of its record chains to witness (src/records/witness-store.ts). The sender is the node its
// certificate proves (peerOf), never a node named in the body.
import { Errors, fail } from '../errors/catalogue.ts';
import { parseHeadsFile } from '../records/heads.ts';
import type { WitnessStore } from '../records/witness-store.ts';
import { peerOf, type NodePortPlugin } from './node-port.ts';

/** About 400 chains of one node: far more than its workers' chains over years. */
export const HEADS_BODY_LIMIT = 256 * 1024;
const MAX_HEADS = 400;

export function witnessRoutes(store: WitnessStore): NodePortPlugin {
  return {
    name: 'witness',
    register(app, ctx) {
      // The body as text, parsed by the same reader as `audit verify --head`; only in this plugin's scope.
      app.removeContentTypeParser('application/json');
      app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: HEADS_BODY_LIMIT }, (_req, body, done) => { done(null, body); });
      app.post('/node/v1/heads', { bodyLimit: HEADS_BODY_LIMIT }, async (req) => {
        const node = peerOf(req).nodeId;
        if (typeof req.body !== 'string') fail(Errors.UnsupportedMediaType);
        const heads = parseHeadsFile(req.body);
        if (heads.length > MAX_HEADS) fail(Errors.InvalidInput, `${MAX_HEADS} heads at most in one request`);
        try {
          const outcome = await store.accept(node, heads);
          if (outcome.accepted > 0) ctx.log.debug({ node, ...outcome }, 'witnessed chain heads');
          return outcome;
        } catch (e) {
          // Evidence that a node's records were cut or a key is wrong: logged at error by the
          // port's refusal handler too, here with the chains it concerns.
          ctx.log.error({ node, chains: heads.map((h) => h.chainId), reason: (e as Error).message }, 'refused the chain heads of a node');
          throw e;
        }
      });
    },
  };
}
