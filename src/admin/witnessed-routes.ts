// `GET /v1/witnessed/{node}`: the newest chain heads this node (a central node) witnessed for another
// node (src/records/witness-store.ts), in the tabadol-heads/1 format `tabadol audit verify --head`
// takes, so that an auditor checks that node's records against the centre's copy.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { checkNodeId } from '../registry/central-node.ts';
import { HEADS_FORMAT } from '../records/heads.ts';
import { WitnessStore } from '../records/witness-store.ts';
import type { AdminDeps } from './admin-deps.ts';
import { answers } from './schemas.ts';

const Head = Type.Object({
  chainId: Type.String(),
  seq: Type.Integer({ description: 'the newest record the signed checkpoint covers' }),
  recordHash: Type.String(),
  at: Type.String({ description: 'when the node signed it' }),
  signature: Type.String(),
  publicKey: Type.String({ description: 'the record key the registry holds for the node (SPKI PEM)' }),
  keyId: Type.String(),
}, { additionalProperties: false });

const HeadsFile = Type.Object({
  format: Type.Literal(HEADS_FORMAT),
  heads: Type.Array(Head),
}, { additionalProperties: false, description: 'The newest witnessed head of each of the node\'s chains (none: nothing witnessed)' });

export function witnessedRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  let store: WitnessStore | undefined;
  return async (app) => {
    app.get('/witnessed/:node', {
      schema: {
        operationId: 'getWitnessedHeads',
        description: 'The chain heads this node witnessed for another node, for `tabadol audit verify --head`',
        params: Type.Object({ node: Type.String({ maxLength: 64 }) }),
        response: answers({ 200: HeadsFile }, [400]),
      },
    }, (req) => (store ??= new WitnessStore(deps.registry.db)).newest(checkNodeId(req.params.node)));
  };
}
