// Compliance on the admin API: visits and letters avoided, SLA compliance per closed Jalali month and
// the breaches kept, the mandates' status, the inspectors' monthly violations list (JSON or CSV) and
// the UN survey tracker (src/compliance/). Paths are chosen not to shadow the registry's own routes:
// /v1/savings lists declarations and /v1/mandates/{id}, /v1/survey/{code} read one object each, so
// the reports live at /v1/savings-report, /v1/mandate-status and /v1/survey-status.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { lastClosedMonth, monthLabel, parseJalaliMonth } from '../compliance/jalali-month.ts';
import { mandateStatusesNow } from '../compliance/mandate-status.ts';
import { surveyStatus } from '../compliance/survey-status.ts';
import { violationsCsv } from '../compliance/violations-csv.ts';
import { violationsReport } from '../compliance/violations.ts';
import { visitsAvoided } from '../compliance/visits-avoided.ts';
import { statsRequest } from '../oversight/stats-request.ts';
import type { AdminDeps } from './admin-deps.ts';
import {
  KeptBreach, MandateStatus, MonthBody, MonthParams, MonthQuery, PeriodQuery, SlaCompliance, SlaMonthResult, SurveyStatus,
  ViolationsQuery, ViolationsReport, VisitsAvoided,
} from './compliance-schemas.ts';
import { answers, BODY_REFUSALS } from './schemas.ts';

export function complianceRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  const { registry } = deps;
  const compliance = () => deps.compliance;
  const mandateContext = () => ({ registry, rollups: deps.compliance.stats, openDataDatasets: deps.compliance.openDataDatasets });
  const monthOf = (text: string | undefined, now: Date) => (text === undefined ? lastClosedMonth(now) : parseJalaliMonth(text));

  return async (app) => {
    app.get('/savings-report', {
      schema: {
        operationId: 'getSavingsReport',
        description: 'Visits and letters avoided in a Jalali period per providing agency, and the development plan\'s 12.5 % indicator against declared baselines',
        querystring: PeriodQuery, response: answers({ 200: VisitsAvoided }, [400]),
      },
    }, (req) => visitsAvoided(deps.stats, registry, statsRequest(req.query)));

    app.get('/sla-compliance', {
      schema: {
        operationId: 'getSlaCompliance',
        description: 'Each SLA document against a closed Jalali month: availability within support hours, p95 latency, rate-limit refusals; services not yet evaluated are evaluated and kept',
        querystring: MonthQuery, response: answers({ 200: SlaCompliance }, [400]),
      },
    }, async (req) => {
      const now = new Date();
      const month = monthOf(req.query.month, now);
      const results = await compliance().verdicts(registry, month, now);
      return { month: monthLabel(month), services: results.length, compliant: results.filter((r) => r.compliant).length, results };
    });

    app.post('/sla-evaluations', {
      schema: {
        operationId: 'evaluateSlas',
        description: 'Evaluate every SLA document against a closed Jalali month now and keep the results; a month evaluated again under the same SLA version replaces its rows',
        body: MonthBody, response: answers({ 200: Type.Array(SlaMonthResult, { description: 'The results kept' }) }, [...BODY_REFUSALS]),
      },
    }, (req) => compliance().evaluateMonth(registry, parseJalaliMonth(req.body.month), new Date()));

    app.get('/sla-breaches', {
      schema: {
        operationId: 'listSlaBreaches',
        description: 'Every breach kept for a Jalali month, under every SLA version it was evaluated with',
        querystring: MonthQuery, response: answers({ 200: Type.Array(KeptBreach, { description: 'Breaches, by agency and service' }) }, [400]),
      },
    }, (req) => compliance().breaches.breaches(monthLabel(monthOf(req.query.month, new Date()))));

    app.get('/mandate-status', {
      schema: {
        operationId: 'getMandateStatus',
        description: 'Each mandate\'s status today (met, not-met, pending, overdue) with the evidence; monthly levels measured on the last closed month',
        response: answers({ 200: Type.Array(MandateStatus, { description: 'Mandates, earliest deadline first' }) }),
      },
    }, () => mandateStatusesNow(mandateContext(), new Date()));

    app.get('/violations/:year/:month', {
      schema: {
        operationId: 'getViolations',
        description: 'The inspection organisation\'s list for a closed Jalali month: agencies that breached an SLA or missed a mandate, with the evidence',
        params: MonthParams, querystring: ViolationsQuery,
        response: answers({
          200: {
            description: 'The list, as JSON or as CSV (RFC 4180)',
            content: { 'application/json': { schema: ViolationsReport }, 'text/csv': { schema: Type.String() } },
          },
        }, [400]),
      },
    }, async (req, reply) => {
      const now = new Date();
      const c = compliance();
      const report = await violationsReport(c, mandateContext(), parseJalaliMonth(`${req.params.year}/${req.params.month}`), now);
      if (req.query.format === 'csv') {
        return reply.header('content-type', 'text/csv; charset=utf-8; header=present')
          .header('content-disposition', `attachment; filename="violations-${report.month.replace('/', '-')}.csv"`)
          .send(violationsCsv(report));
      }
      return reply.header('content-type', 'application/json; charset=utf-8').send(report);
    });

    app.get('/survey-status', {
      schema: {
        operationId: 'getSurveyStatus',
        description: 'The UN e-government survey\'s services: online (a mapped service is registered) and used (answered inquiries in the period)',
        querystring: PeriodQuery, response: answers({ 200: SurveyStatus }, [400]),
      },
    }, (req) => surveyStatus(deps.stats, registry, statsRequest(req.query)));
  };
}
