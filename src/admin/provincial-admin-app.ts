// The admin API of a provincial node (port 4000, localhost, the same bearer token). A province owns
// no registry, so it offers what makes sense without one: `GET /metrics` (its data plane's, and the
// centre fetch as tabadol_central_snapshot_*) and `GET /v1/snapshot` (the snapshot it runs on and
// where it comes from). Registry changes are made at the centre; statistics of the province's own
// traffic are read with `tabadol stats` on its data directory, and the centre covers the country.
import { timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import type { Logger } from 'pino';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { refuser } from './refusals.ts';

export interface ProvincialAdminDeps {
  log: Logger;
  adminToken: string;
  snapshots: SnapshotHolder;
  central: { nodeId: string; url: string };
  metricsText: () => Promise<{ contentType: string; text: string }>;
  now: () => number;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  if (!header?.startsWith('Bearer ')) return false;
  const given = Buffer.from(header.slice(7));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export async function createProvincialAdminApp(deps: ProvincialAdminDeps) {
  const refuse = refuser(deps.log, 1024 * 1024);
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (req) => {
    if (!tokenMatches(req.headers.authorization, deps.adminToken)) throw new TabadolError(Errors.Unauthenticated);
  });
  app.setErrorHandler((err, _req, reply) => refuse(reply, err));
  app.setNotFoundHandler((_req, reply) => refuse(reply, new TabadolError(Errors.UnknownRoute)));
  app.get('/metrics', async (_req, reply) => {
    const m = await deps.metricsText();
    return reply.header('content-type', m.contentType).send(m.text);
  });
  app.get('/v1/snapshot', () => {
    const s = deps.snapshots.current;
    const source = { role: 'provincial', centralNode: deps.central.nodeId, url: deps.central.url };
    if (!s) return { version: 0, ...source };
    return {
      version: s.version, createdAt: s.doc.createdAt, validUntil: s.doc.validUntil, valid: deps.now() < s.validUntil,
      services: s.services.size, subsystems: s.subsystems.size, ...source,
    };
  });
  return app;
}
