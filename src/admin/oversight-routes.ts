// Oversight routes of the admin API: the registry's oversight data (src/registry/oversight-data.ts),
// read and changed through the same operations as the CLI. Each change is one registry change with
// its change-log entry and snapshot; an SLA's maximum rate reaches the door with it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AdminDeps } from './admin-deps.ts';
import { answers, BODY_REFUSALS, NoContent } from './schemas.ts';
import {
  BaselineInput, BaselineParams, Mandate, MandateInput, MandateParam, SavingsInput, ServiceLevel, ServiceParam, ServiceSavings,
  SlaInput, SurveyParam, SurveyService, SurveyServiceInput, VisitBaseline,
} from './oversight-schemas.ts';

const described = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) => Type.Array(item, { description });
const one = <T extends object>(schema: T, description: string) => ({ ...schema, description }) as T;

export function oversightRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  const { registry } = deps;
  const changed = async <T>(result: T): Promise<T> => {
    await deps.afterChange();
    return result;
  };

  return async (app) => {
    // --- Service levels.
    app.get('/slas', {
      schema: { operationId: 'listSlas', description: 'Every SLA document, by service', response: answers({ 200: described(ServiceLevel, 'SLA documents, by service id') }) },
    }, () => registry.oversight.listSlas());
    app.get('/services/:id/sla', {
      schema: {
        operationId: 'getSla', description: 'A service\'s SLA document',
        params: ServiceParam, response: answers({ 200: one(ServiceLevel, 'The SLA document') }, [400, 404]),
      },
    }, (req) => registry.oversight.getSla(req.params.id));
    app.put('/services/:id/sla', {
      schema: {
        operationId: 'setSla',
        description: 'Set or replace a service\'s SLA document; its maximum rate is also the rate the door enforces for the service (Client.RateLimitExceeded), in the same change',
        params: ServiceParam, body: SlaInput, response: answers({ 200: one(ServiceLevel, 'The SLA document as stored') }, [...BODY_REFUSALS, 404]),
      },
    }, async (req) => changed(await registry.changeOversight((o) => o.setSla(req.params.id, req.body))));
    app.delete('/services/:id/sla', {
      schema: {
        operationId: 'removeSla', description: 'Remove a service\'s SLA document; the rate the door enforces stays as it is',
        params: ServiceParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => {
      await changed(await registry.changeOversight((o) => o.removeSla(req.params.id)));
      return reply.status(204).send();
    });

    // --- Savings: visits and letters one answered inquiry replaces.
    app.get('/savings', {
      schema: { operationId: 'listSavings', description: 'Every service\'s declared savings', response: answers({ 200: described(ServiceSavings, 'Savings, by service id') }) },
    }, () => registry.oversight.listSavings());
    app.get('/services/:id/savings', {
      schema: {
        operationId: 'getSavings', description: 'What one answered inquiry of a service replaces',
        params: ServiceParam, response: answers({ 200: one(ServiceSavings, 'The savings') }, [400, 404]),
      },
    }, (req) => registry.oversight.getSavings(req.params.id));
    app.put('/services/:id/savings', {
      schema: {
        operationId: 'setSavings', description: 'Set the in-person visits and paper letters one answered inquiry of a service replaces',
        params: ServiceParam, body: SavingsInput, response: answers({ 200: one(ServiceSavings, 'The savings as stored') }, [...BODY_REFUSALS, 404]),
      },
    }, async (req) => changed(await registry.changeOversight((o) => o.setSavings(req.params.id, req.body))));

    // --- Baselines of citizens' visits (the sixth development plan's 12.5 % cut).
    app.get('/baselines', {
      schema: { operationId: 'listBaselines', description: 'Every agency\'s declared baseline visits', response: answers({ 200: described(VisitBaseline, 'Baselines, by member and year') }) },
    }, () => registry.oversight.listBaselines());
    app.get('/members/:id/baselines/:year', {
      schema: {
        operationId: 'getBaseline', description: 'A member\'s declared visits for a Jalali base year',
        params: BaselineParams, response: answers({ 200: one(VisitBaseline, 'The baseline') }, [400, 404]),
      },
    }, (req) => registry.oversight.getBaseline(req.params.id, req.params.year));
    app.put('/members/:id/baselines/:year', {
      schema: {
        operationId: 'setBaseline', description: 'Declare a member\'s citizens\' in-person visits for a Jalali base year',
        params: BaselineParams, body: BaselineInput, response: answers({ 200: one(VisitBaseline, 'The baseline as stored') }, [...BODY_REFUSALS, 404]),
      },
    }, async (req) => changed(await registry.changeOversight((o) => o.setBaseline(req.params.id, req.params.year, req.body))));

    // --- Mandates: working-group resolutions.
    app.get('/mandates', {
      schema: { operationId: 'listMandates', description: 'Every mandate, by deadline', response: answers({ 200: described(Mandate, 'Mandates, earliest deadline first') }) },
    }, () => registry.oversight.listMandates());
    app.get('/mandates/:id', {
      schema: { operationId: 'getMandate', params: MandateParam, response: answers({ 200: one(Mandate, 'The mandate') }, [400, 404]) },
    }, (req) => registry.oversight.getMandate(req.params.id));
    app.put('/mandates/:id', {
      schema: {
        operationId: 'putMandate', description: 'Add a mandate, or replace the one with this id',
        params: MandateParam, body: MandateInput,
        response: answers({ 200: one(Mandate, 'Replaced'), 201: one(Mandate, 'Added') }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => {
      const { mandate, created } = await changed(await registry.changeOversight((o) => o.putMandate(req.params.id, req.body)));
      return reply.status(created ? 201 : 200).send(mandate);
    });
    app.delete('/mandates/:id', {
      schema: { operationId: 'removeMandate', params: MandateParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404]) },
    }, async (req, reply) => {
      await changed(await registry.changeOversight((o) => o.removeMandate(req.params.id)));
      return reply.status(204).send();
    });

    // --- The UN e-government survey's services.
    app.get('/survey', {
      schema: { operationId: 'listSurveyServices', description: 'The survey\'s services with the Tabadol services mapped to each', response: answers({ 200: described(SurveyService, 'Survey services, by code') }) },
    }, () => registry.oversight.listSurvey());
    app.get('/survey/:code', {
      schema: { operationId: 'getSurveyService', params: SurveyParam, response: answers({ 200: one(SurveyService, 'The survey service') }, [400, 404]) },
    }, (req) => registry.oversight.getSurveyService(req.params.code));
    app.put('/survey/:code', {
      schema: {
        operationId: 'putSurveyService', description: 'Add a survey service, or replace its titles and the registered services mapped to it',
        params: SurveyParam, body: SurveyServiceInput,
        response: answers({ 200: one(SurveyService, 'Replaced'), 201: one(SurveyService, 'Added') }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => {
      const { survey, created } = await changed(await registry.changeOversight((o) => o.putSurveyService(req.params.code, req.body)));
      return reply.status(created ? 201 : 200).send(survey);
    });
  };
}
