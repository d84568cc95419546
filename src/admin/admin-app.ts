// The admin REST API of the control plane: the registry's operations, the snapshot and metrics.
// Every route, the OpenAPI document included, refuses a caller without the admin bearer token.
// Every answer is one the document declares for its route (src/admin/schemas.ts); every refusal,
// a route's own or one Fastify makes before a handler runs, is a coded {type, message, detail}
// (src/admin/refusals.ts).
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import type { AdminDeps } from './admin-deps.ts';
import { nodeRoutes } from './node-routes.ts';
import { oversightRoutes } from './oversight-routes.ts';
import { refuser } from './refusals.ts';
import { registryRoutes } from './registry-routes.ts';
import { statsRoutes } from './stats-routes.ts';
import { reportRoutes } from './report-routes.ts';
import { complianceRoutes } from './compliance-routes.ts';
import { witnessedRoutes } from './witnessed-routes.ts';
import { registryNodeRoutes } from './node-routes-registry.ts';
import { RouteMethods } from './route-methods.ts';
import { components } from './schemas.ts';

export type { AdminDeps } from './admin-deps.ts';

/** The largest request body the admin API reads (Fastify's default, 1 MiB), named so that a 413 can state it. */
export const ADMIN_BODY_LIMIT = 1024 * 1024;

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function createAdminApp(deps: AdminDeps) {
  const refuse = refuser(deps.log, ADMIN_BODY_LIMIT);
  const app = Fastify({
    logger: false,
    bodyLimit: ADMIN_BODY_LIMIT,
    // Fastify's default Ajv silently drops unknown fields: a misspelt "validuntil" would make a grant
    // that never expires. Refuse them instead.
    ajv: { customOptions: { removeAdditional: false } },
    // A path parameter that is not valid percent-encoding is refused by the router before any hook
    // runs, so the token is checked here too: an unauthenticated caller learns nothing of the routes.
    frameworkErrors: (_err, req, reply) => {
      refuse(reply, tokenMatches(req.headers.authorization, deps.adminToken)
        ? new TabadolError(Errors.InvalidInput, 'a path parameter is not valid percent-encoding')
        : new TabadolError(Errors.Unauthenticated));
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are JSON only (RFC 8259); Fastify's text/plain parser would hand a string to a schema that
  // wants an object, turning a wrong Content-Type into a confusing validation error instead of a 415.
  app.removeContentTypeParser('text/plain');
  // Answers are sent exactly as the handlers make them. A schema-driven serializer would silently
  // drop or coerce whatever the schema does not describe; instead, the schemas describe and the test
  // of the document checks every answer against them.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  const methods = new RouteMethods();
  app.addHook('onRoute', (route) => methods.add(route.url, route.method));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Tabadol admin API', version: '1', description: 'Registry, snapshot and metrics of a Tabadol node' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    // A shared schema is published under its own name (#/components/schemas/AdminError), not def-N.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  for (const schema of components) app.addSchema(schema);

  app.addHook('onRequest', async (req) => {
    if (!tokenMatches(req.headers.authorization, deps.adminToken)) throw new TabadolError(Errors.Unauthenticated);
  });
  app.setErrorHandler((err, _req, reply) => refuse(reply, err));
  // Runs after the token check, like any route.
  app.setNotFoundHandler((req, reply) => {
    const allowed = methods.allowed(req.url.split('?', 1)[0]!);
    if (allowed.length > 0) refuse(reply, new TabadolError(Errors.MethodNotAllowed), { allow: allowed.join(', ') });
    else refuse(reply, new TabadolError(Errors.UnknownRoute));
  });

  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
  await app.register(nodeRoutes(deps));
  await app.register(registryRoutes(deps), { prefix: '/v1' });
  await app.register(oversightRoutes(deps), { prefix: '/v1' });
  await app.register(statsRoutes(deps), { prefix: '/v1' });
  await app.register(reportRoutes(deps), { prefix: '/v1' });
  await app.register(complianceRoutes(deps), { prefix: '/v1' });
  await app.register(witnessedRoutes(deps), { prefix: '/v1' });
  await app.register(registryNodeRoutes(deps), { prefix: '/v1' });
  return app;
}
