// The node's own routes on the admin API: the snapshot it runs on, publishing one now, and metrics.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AdminDeps } from './admin-deps.ts';
import { AdminError, answers, BODY_REFUSALS, SnapshotState } from './schemas.ts';

export function nodeRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/metrics', {
      schema: {
        operationId: 'metrics', description: 'Prometheus metrics of this node',
        response: {
          200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } },
          401: AdminError.ref({ description: 'Admin.Unauthenticated: the admin bearer token is missing or wrong' }),
          500: AdminError.ref({ description: 'The node failed; the detail names its log entry' }),
        },
      },
    }, async (_req, reply) => {
      const m = await deps.metricsText();
      return reply.header('content-type', m.contentType).send(m.text);
    });
    app.get('/v1/snapshot', {
      schema: { operationId: 'getSnapshot', description: 'The snapshot this node runs on', response: answers({ 200: SnapshotState }) },
    }, () => {
      const s = deps.snapshots.current;
      return s ? { version: s.version, createdAt: s.doc.createdAt, validUntil: s.doc.validUntil, services: s.services.size, subsystems: s.subsystems.size } : { version: 0 };
    });
    app.post('/v1/snapshot/publish', {
      schema: {
        operationId: 'publishSnapshot', description: 'Publish the registry as a new snapshot now',
        response: answers({ 200: Type.Object({ version: Type.Integer() }, { additionalProperties: false, description: 'The version published' }) }, BODY_REFUSALS),
      },
    }, async () => {
      const signed = await deps.registry.publish();
      await deps.afterChange();
      return { version: signed.version };
    });
  };
}
