// Statistics on the admin API: `GET /v1/stats?from=1399/01/01&to=1399/12/30&by=provider`, read from
// the rollups (src/oversight/stats.ts), with names from the registry.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STATS_BY } from '../oversight/stats.ts';
import { statsRequest } from '../oversight/stats-request.ts';
import { registryDirectory } from '../oversight/stats-source.ts';
import type { AdminDeps } from './admin-deps.ts';
import { answers } from './schemas.ts';

const ms = Type.Union([Type.Number({ description: 'milliseconds' }), Type.Null()]);

export const StatsLine = Type.Object({
  key: Type.String({ description: 'provider or consumer subsystem, service id, province code, Jalali month YYYY/MM or year' }),
  name: Type.Optional(Type.String()),
  nameFa: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  count: Type.Integer(),
  share: Type.Number({ description: 'of the period total, 0–1' }),
  answered: Type.Integer({ description: 'the provider answered (a “not found” included)' }),
  refused: Type.Integer({ description: 'the exchange refused the caller: Client.*, no access right, no such service' }),
  providerFailed: Type.Integer({ description: 'the provider failed, timed out, broke its contract or answered 5xx' }),
  exchangeFailed: Type.Integer({ description: 'the exchange could not act: stale snapshot, records, internal fault' }),
  successRate: Type.Union([Type.Number({ description: 'answered / count' }), Type.Null()]),
  errorRate: Type.Union([Type.Number({ description: '(providerFailed + exchangeFailed) / count' }), Type.Null()]),
  p50Ms: ms,
  p95Ms: ms,
  p99Ms: ms,
  meanProviderMs: ms,
  previousCount: Type.Optional(Type.Integer()),
  growth: Type.Optional(Type.Union([Type.Number({ description: 'count / previousCount − 1' }), Type.Null()])),
}, { $id: 'StatsLine', additionalProperties: false });

export const StatsAnswer = Type.Object({
  from: Type.String(),
  to: Type.String(),
  by: Type.Enum(STATS_BY),
  total: Type.Ref('StatsLine'),
  lines: Type.Array(Type.Ref('StatsLine')),
  previous: Type.Optional(Type.Object({ from: Type.String(), to: Type.String(), count: Type.Integer() }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'Statistics of the period, largest first (months and years in time order)' });

const StatsQuery = Type.Object({
  from: Type.Optional(Type.String({ description: 'Jalali date YYYY/MM/DD (default: the first day of this Jalali year)', maxLength: 20 })),
  to: Type.Optional(Type.String({ description: 'Jalali date YYYY/MM/DD, inclusive (default: today in Tehran)', maxLength: 20 })),
  by: Type.Optional(Type.Enum(STATS_BY, { description: 'grouping (default provider)' })),
  compare: Type.Optional(Type.Boolean({ description: 'growth against the period just before (default true)' })),
}, { additionalProperties: false });

export function statsRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addSchema(StatsLine);
    app.get('/stats', {
      schema: {
        operationId: 'getStats',
        description: 'Counts, shares, growth, success and error rates and latency percentiles of a Jalali period, from the rollups',
        querystring: StatsQuery,
        response: answers({ 200: StatsAnswer }, [400]),
      },
    }, async (req) => {
      const q = statsRequest(req.query);
      return deps.stats.query({ ...q, compare: req.query.compare, directory: await registryDirectory(deps.registry) });
    });
  };
}
