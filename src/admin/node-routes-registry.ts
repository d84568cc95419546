// The exchange's nodes on the admin API (src/registry/nodes.ts): `GET /v1/nodes`, `POST /v1/nodes`,
// `DELETE /v1/nodes/{id}`. The snapshot every change publishes tells the nodes where each listens.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { registryNodesOf } from '../registry/nodes.ts';
import type { AdminDeps } from './admin-deps.ts';
import { answers, BODY_REFUSALS, IdParam, NoContent } from './schemas.ts';

const RegisteredNode = Type.Object({
  id: Type.String(),
  role: Type.Union([Type.Literal('central'), Type.Literal('provincial')]),
  province: Type.Union([Type.String({ description: 'two-digit province code' }), Type.Null()]),
  url: Type.String({ description: 'its node-to-node port, https://host:port' }),
  recordKeyId: Type.Union([Type.String({ description: 'SHA-256 of its record key (SPKI DER)' }), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
}, { additionalProperties: false, description: 'A node of the exchange' });

const NodeInput = Type.Object({
  id: Type.String({ maxLength: 255 }),
  role: Type.Union([Type.Literal('central'), Type.Literal('provincial')]),
  province: Type.Optional(Type.String({ maxLength: 8, description: 'two-digit province code, 00–30; provincial nodes only' })),
  url: Type.String({ maxLength: 2048, description: 'https://host:port of its node-to-node port' }),
  recordKey: Type.Optional(Type.String({ maxLength: 4096, description: 'its record key\'s public half, PEM (SPKI)' })),
}, { additionalProperties: false });

export function registryNodeRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/nodes', {
      schema: { operationId: 'listNodes', description: 'The exchange\'s nodes, by id', response: answers({ 200: Type.Array(RegisteredNode, { description: 'Every registered node' }) }) },
    }, () => registryNodesOf(deps.registry).list());
    app.post('/nodes', {
      schema: {
        operationId: 'addNode', description: 'Register a node: the centre, or one node per province, with its node-port address and record key',
        body: NodeInput, response: answers({ 201: RegisteredNode }, [...BODY_REFUSALS, 409]),
      },
    }, async (req, reply) => {
      const added = await registryNodesOf(deps.registry).add(req.body);
      await deps.afterChange();
      return reply.status(201).send(added);
    });
    app.delete('/nodes/:id', {
      schema: {
        operationId: 'removeNode', description: 'Remove a node; refused while subsystems are homed on it',
        params: IdParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => {
      await registryNodesOf(deps.registry).remove(req.params.id);
      await deps.afterChange();
      return reply.status(204).send();
    });
  };
}
