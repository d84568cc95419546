// The registry pages (every role reads) and their forms (operators only): create a member, register
// a service from its contract, grant and revoke an access right, revoke a certificate (issuing one is
// done on the node with the CLI: the page gives the command, registry-html.ts says why). A change goes
// through the registry's own operations with the actor `portal:<username>`, then afterChange() so
// this node's data plane runs on it at once. A refused form is shown again with what was typed and
// a sentence beside the field (registry-errors.ts); a change that succeeded redirects (303, RFC 9110
// §15.4.4) to the page with a confirmation, so a reload does not send it twice.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Errors, TabadolError } from '../../../errors/catalogue.ts';
import { canChangeRegistry, checkCsrf, formFields, pageContext, requireRole, type DashboardDeps, type PageContext } from '../context.ts';
import { explain } from './registry-errors.ts';
import { renderPage, sendHtml } from './respond.ts';
import {
  accessHtml, certificatesHtml, MAX_CONTRACT_CHARS, membersHtml, REGISTRY_PATHS, REGISTRY_TITLES, serviceHtml, servicesHtml,
  type FormState, type RegistryView,
} from './registry-html.ts';

const DONE = new Set(['member', 'service', 'grant', 'revoke', 'certificate']);

function doneOf(req: FastifyRequest): string | undefined {
  const d = (req.query as { done?: unknown } | undefined)?.done;
  return typeof d === 'string' && DONE.has(d) ? d : undefined;
}

/** A query parameter's text (one value, trimmed, at most 200 characters), or undefined. */
function queryText(req: FastifyRequest, name: string): string | undefined {
  const v = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, 200) : undefined;
}

const actor = (ctx: PageContext) => `portal:${ctx.user?.username ?? 'unknown'}`;
const text = (f: Record<string, string>, k: string): string | undefined => {
  const v = f[k];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

export function registryRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { registry } = deps;
  const anyone = { preHandler: requireRole() };
  const operator = { preHandler: [requireRole('operator'), checkCsrf] };

  const view = (ctx: PageContext, state: FormState): RegistryView => ({ lang: ctx.lang, canChange: canChangeRegistry(ctx.user), csrf: ctx.csrf, state });
  const page = (ctx: PageContext, key: keyof typeof REGISTRY_TITLES, active: string, body: string) => renderPage(ctx, REGISTRY_TITLES[key], active, body);

  const pages = {
    members: async (ctx: PageContext, s: FormState) => page(ctx, 'members', 'members',
      membersHtml(view(ctx, s), await registry.listMembers(), await registry.listSubsystems())),
    services: async (ctx: PageContext, s: FormState) => page(ctx, 'services', 'services',
      servicesHtml(view(ctx, s), await registry.listServices(), await registry.listSubsystems())),
    access: async (ctx: PageContext, s: FormState, search = '') => {
      const [rights, subsystems, groups, services] = await Promise.all([registry.listAccessRights(), registry.listSubsystems(), registry.listGroups(), registry.listServices()]);
      return page(ctx, 'access', 'access', accessHtml(view(ctx, s), rights, subsystems, groups, services, search));
    },
    certificates: async (ctx: PageContext, s: FormState, subsystem?: string) => {
      const [certs, subsystems] = await Promise.all([registry.listCertificates(), registry.listSubsystems()]);
      return page(ctx, 'certificates', 'certificates', certificatesHtml(view(ctx, s), certs, deps.now(), subsystems, subsystem));
    },
  };

  app.get('/dashboard/registry', anyone, async (_req, reply) => reply.status(303).headers({ location: REGISTRY_PATHS.members }).send());
  app.get(REGISTRY_PATHS.members, anyone, async (req, reply) => sendHtml(reply, 200, await pages.members(pageContext(req), { done: doneOf(req) })));
  app.get(REGISTRY_PATHS.services, anyone, async (req, reply) => sendHtml(reply, 200, await pages.services(pageContext(req), { done: doneOf(req) })));
  app.get(REGISTRY_PATHS.access, anyone, async (req, reply) =>
    sendHtml(reply, 200, await pages.access(pageContext(req), { done: doneOf(req) }, queryText(req, 'q') ?? '')));
  app.get(REGISTRY_PATHS.certificates, anyone, async (req, reply) =>
    sendHtml(reply, 200, await pages.certificates(pageContext(req), { done: doneOf(req) }, queryText(req, 'subsystem'))));
  app.get(REGISTRY_PATHS.service, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    const id = (req.query as { id?: unknown } | undefined)?.id;
    const services = await registry.listServices();
    const found = typeof id === 'string' && services.some((s) => s.id === id) ? await registry.getService(id) : undefined;
    const rights = found ? (await registry.listAccessRights()).filter((r) => r.service_id === found.id) : [];
    return sendHtml(reply, found ? 200 : 404, page(ctx, 'service', 'services', serviceHtml(view(ctx, {}), found, rights)));
  });

  /** Runs a change; on refusal shows the form again, on success redirects with a confirmation. */
  const change = (form: string, render: (ctx: PageContext, s: FormState) => Promise<string>, location: string, done: string,
    run: (f: Record<string, string>, ctx: PageContext) => Promise<unknown>) =>
    async (req: FastifyRequest, reply: FastifyReply) => {
      const ctx = pageContext(req);
      const f = formFields(req);
      const typed = Object.fromEntries(Object.entries(f).filter(([k]) => k !== '_csrf'));
      try {
        await run(f, ctx);
      } catch (err) {
        const problem = explain(ctx.lang, err);
        if (problem.status >= 500) {
          const detail = randomUUID();
          deps.log.error({ err, detail, route: req.routeOptions.url }, 'dashboard change failed');
          problem.detail = detail;
        }
        return sendHtml(reply, problem.status, await render(ctx, { form, problem, typed }));
      }
      await deps.afterChange();
      return reply.status(303).headers({ location: `${location}?done=${done}`, 'cache-control': 'no-store' }).send();
    };

  /** A refusal found by the page itself, before the registry is asked. */
  const invalid = (field: string, detail: string): never => {
    throw new TabadolError(Errors.InvalidInput, `${field} ${detail}`);
  };

  app.post(REGISTRY_PATHS.addMember, operator, change('member', pages.members, REGISTRY_PATHS.members, 'member', (f, ctx) =>
    registry.addMember({ memberClass: f.memberClass ?? '', memberCode: (f.memberCode ?? '').trim(), name: f.name ?? '', nameFa: text(f, 'nameFa') }, actor(ctx))));

  app.post(REGISTRY_PATHS.addService, { ...operator, bodyLimit: MAX_CONTRACT_CHARS * 4 }, change('service', pages.services, REGISTRY_PATHS.services, 'service', async (f, ctx) => {
    const raw = f.contract ?? '';
    if (raw.trim() === '') invalid('contract', 'is required');
    if (raw.length > MAX_CONTRACT_CHARS) invalid('contract', `is longer than ${MAX_CONTRACT_CHARS} characters`);
    let contract: unknown;
    try {
      contract = JSON.parse(raw);
    } catch (e) {
      // JSON.parse names the position of the fault, never more of the text than the operator typed.
      invalid('contract', `is not JSON: ${(e as Error).message}`);
    }
    const timeout = text(f, 'timeoutMs');
    const timeoutMs = timeout === undefined ? undefined : /^\d{1,6}$/.test(timeout) ? Number(timeout) : invalid('timeoutMs', 'must be 1 to 300000');
    return registry.putService({ serviceId: (f.serviceId ?? '').trim(), title: f.title ?? '', baseUrl: (f.baseUrl ?? '').trim(), contract, timeoutMs }, actor(ctx));
  }));

  app.post(REGISTRY_PATHS.grant, operator, change('grant', pages.access, REGISTRY_PATHS.access, 'grant', (f, ctx) =>
    registry.grant({
      subject: f.subject ?? '', serviceId: f.serviceId ?? '', method: text(f, 'method'), path: text(f, 'path'),
      legalBasis: f.legalBasis ?? '', validUntil: text(f, 'validUntil'),
    }, actor(ctx))));

  app.post(REGISTRY_PATHS.revoke, operator, change('revoke', pages.access, REGISTRY_PATHS.access, 'revoke', (f, ctx) => {
    const id = /^\d{1,12}$/.test(f.id ?? '') ? Number(f.id) : invalid('id', 'is not an access right');
    return registry.revoke(id, actor(ctx));
  }));

  app.post(REGISTRY_PATHS.revokeCertificate, operator, change('certificate', pages.certificates, REGISTRY_PATHS.certificates, 'certificate', (f, ctx) =>
    registry.revokeCertificate(f.serial ?? '', actor(ctx), text(f, 'reason'))));
}
