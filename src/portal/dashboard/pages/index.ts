// The dashboard's pages: each page file exports its routes, registered here.
//
//   /dashboard                       overview (every role); /dashboard/api/live its live figures (JSON)
//   /dashboard/registry/...          members, services (and one service's contract), access rights,
//                                    certificates; their forms (operators)
//   /dashboard/oversight/...         SLA, mandates, violations (+ printable document, CSV), UN survey,
//                                    open data, yearly report (+ printable document)
//   /dashboard/nodes                 the exchange's nodes as the centre sees them (operators, overseers)
//   /citizen/services                the mobile-government list (public, no login)
import type { FastifyPluginAsync } from 'fastify';
import { citizenServicesRoutes } from '../../citizen-services.ts';
import type { DashboardDeps } from '../context.ts';
import { nodesRoutes } from './nodes-routes.ts';
import { overviewRoutes } from './overview-routes.ts';
import { oversightRoutes } from './oversight-routes.ts';
import { registryRoutes } from './registry-routes.ts';

export function pageRoutes(deps: DashboardDeps): FastifyPluginAsync {
  return async (app) => {
    overviewRoutes(app, deps);
    registryRoutes(app, deps);
    oversightRoutes(app, deps);
    nodesRoutes(app, deps);
    await app.register(citizenServicesRoutes({ stats: deps.stats, registry: deps.registry, now: deps.now }));
  };
}
