// Admin API routes of stats: filled in by its module.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminDeps } from './admin-deps.ts';

export function statsRoutes(_deps: AdminDeps): FastifyPluginAsyncTypebox {
  return async () => {};
}
