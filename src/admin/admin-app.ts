// The admin REST API of the control plane: the registry's operations, the snapshot and metrics.
// Every route, the OpenAPI document included, refuses a caller without the admin bearer token.
import { timingSafeEqual } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { Errors, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import type { AdminDeps } from './admin-deps.ts';
import { registryRoutes } from './registry-routes.ts';

export type { AdminDeps } from './admin-deps.ts';


function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function createAdminApp(deps: AdminDeps): Promise<FastifyInstance> {
  // Fastify's default Ajv silently drops unknown fields: a misspelt "validuntil" would make a grant
  // that never expires. Refuse them instead.
  const app = Fastify({ logger: false, ajv: { customOptions: { removeAdditional: false } } });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tabadol admin API', version: '1', description: 'Registry, snapshot and metrics of a Tabadol node' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  app.addHook('onRequest', async (req) => {
    if (!tokenMatches(req.headers.authorization, deps.adminToken)) throw new TabadolError(Errors.Unauthenticated);
  });

  app.setErrorHandler((err, _req, reply) => {
    const e = isTabadolError(err)
      ? err
      : (err as { validation?: unknown }).validation
        ? new TabadolError(Errors.InvalidInput, (err as Error).message)
        : new TabadolError(Errors.InternalError, undefined, { cause: err });
    const detail = randomUUID();
    if (e.type === Errors.InternalError.type) deps.log.error({ err, detail }, 'admin API failed');
    void reply.status(e.status).header('x-road-error', e.type).send({ type: e.type, message: e.message, detail });
  });

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/metrics', { schema: { description: 'Prometheus metrics of this node' } }, async (_req, reply) => {
    const m = await deps.metricsText();
    void reply.header('content-type', m.contentType);
    return m.text;
  });
  app.get('/v1/snapshot', { schema: { description: 'The snapshot this node runs on' } }, async () => {
    const s = deps.snapshots.current;
    return s ? { version: s.version, createdAt: s.doc.createdAt, validUntil: s.doc.validUntil, services: s.services.size, subsystems: s.subsystems.size } : { version: 0 };
  });
  app.post('/v1/snapshot/publish', { schema: { description: 'Publish the registry as a new snapshot now' } }, async () => {
    const signed = await deps.registry.publish();
    await deps.afterChange();
    return { version: signed.version };
  });
  await app.register(registryRoutes(deps), { prefix: '/v1' });
  return app;
}
