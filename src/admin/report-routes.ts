// The annual report on the admin API: `GET /v1/reports/{year}` (src/oversight/report.ts), read from
// the rollups, with names, savings and baselines from the registry. The printable Persian document is
// `tabadol report <year> --html FILE`.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { REPORT_YEAR_MAX, REPORT_YEAR_MIN, reportYear } from '../oversight/report.ts';
import { reportFromRegistry } from '../oversight/report-source.ts';
import type { AdminDeps } from './admin-deps.ts';
import { answers } from './schemas.ts';

const orNull = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const name = { name: orNull(Type.String()), nameFa: orNull(Type.String()) };

const ReportParty = Type.Object({
  id: Type.String({ description: 'member, INSTANCE/CLASS/MEMBER' }),
  ...name,
  inquiries: Type.Integer(),
  share: Type.Number({ description: 'of the year\'s inquiries, 0–1' }),
}, { additionalProperties: false });

const ReportYear = Type.Object({
  year: Type.Integer(),
  inquiries: Type.Integer({ description: 'exchanges recorded, whatever their outcome' }),
  answered: Type.Integer(),
  growth: orNull(Type.Number({ description: 'inquiries / the year before\'s − 1' })),
  providers: Type.Integer({ description: 'provider agencies (members) with traffic' }),
  services: Type.Integer({ description: 'services with traffic' }),
  visitsAvoided: orNull(Type.Number()),
  lettersAvoided: orNull(Type.Number()),
}, { additionalProperties: false });

const ReportBaseline = Type.Object({
  memberId: Type.String(),
  ...name,
  baseYear: Type.Integer(),
  baselineVisits: Type.Integer(),
  avoided: Type.Number({ description: 'visits the agency\'s services avoided in the report\'s year' }),
  avoidedInBaseYear: Type.Number(),
  cutPercent: orNull(Type.Number({ description: '(avoided − avoidedInBaseYear) / baselineVisits × 100' })),
  meetsTarget: orNull(Type.Boolean()),
}, { additionalProperties: false });

export const ReportAnswer = Type.Object({
  year: Type.Integer(),
  firstYear: orNull(Type.Integer({ description: 'the first Jalali year with traffic on this node' })),
  years: Type.Array(ReportYear),
  inquiries: Type.Integer(),
  answered: Type.Integer(),
  successRate: orNull(Type.Number()),
  growth: orNull(Type.Number()),
  providers: Type.Integer(),
  services: Type.Integer(),
  consumers: Type.Integer(),
  p50Ms: orNull(Type.Number()),
  p95Ms: orNull(Type.Number()),
  topProviders: Type.Array(ReportParty),
  topConsumers: Type.Array(ReportParty),
  savings: Type.Object({
    declared: Type.Boolean({ description: 'false: no service declares its savings, the section is "not declared"' }),
    servicesDeclared: Type.Integer(),
    visits: Type.Number(),
    letters: Type.Number(),
    byProvider: Type.Array(Type.Object({ id: Type.String(), ...name, visits: Type.Number(), letters: Type.Number() }, { additionalProperties: false })),
    targetPercent: Type.Number({ description: 'the sixth development plan\'s cut in visits, percent' }),
    baselines: Type.Array(ReportBaseline),
  }, { additionalProperties: false }),
}, { additionalProperties: false, description: 'The annual report of a Jalali year, from this node\'s rollups and registry' });

const ReportParams = Type.Object({
  year: Type.String({ description: `four-digit Jalali year, ${REPORT_YEAR_MIN}–${REPORT_YEAR_MAX}`, maxLength: 10 }),
}, { additionalProperties: false });

const ReportQuery = Type.Object({
  top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'lines in the top providers and consumers (default 10)' })),
}, { additionalProperties: false });

export function reportRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/reports/:year', {
      schema: {
        operationId: 'getReport',
        description: 'Inquiries per year and growth, providers and services, top providers and consumers with their shares, visits and letters avoided',
        params: ReportParams,
        querystring: ReportQuery,
        response: answers({ 200: ReportAnswer }, [400]),
      },
    }, async (req) => {
      const year = reportYear(req.params.year);
      return reportFromRegistry(deps.stats, deps.registry, year, req.query.top);
    });
  };
}
