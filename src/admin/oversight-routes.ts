// Admin API routes of oversight: filled in by its module.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AdminDeps } from './admin-deps.ts';

export function oversightRoutes(_deps: AdminDeps): FastifyPluginAsyncTypebox {
  return async () => {};
}
