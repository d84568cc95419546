// Registry routes of the admin API. Identifiers contain slashes, so an id in a path is
// percent-encoded as one segment (e.g. /v1/services/IR%2FGOV%2FNOCR%2Fidentity%2Fperson).
import type { FastifyPluginAsync } from 'fastify';
import { Errors, fail } from '../errors/catalogue.ts';
import type { AdminDeps } from './admin-deps.ts';

const text = { type: 'string', minLength: 1 } as const;
const idParam = { type: 'object', properties: { id: text }, required: ['id'] } as const;
const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

export function registryRoutes(deps: AdminDeps): FastifyPluginAsync {
  const { registry } = deps;
  const changed = async <T>(result: T): Promise<T> => {
    await deps.afterChange();
    return result;
  };

  return async (app) => {
    app.get('/members', async () => registry.listMembers());
    app.post('/members', {
      schema: {
        body: {
          type: 'object', required: ['memberClass', 'memberCode', 'name'], additionalProperties: false,
          properties: { memberClass: { type: 'string', enum: ['GOV', 'COM'] }, memberCode: text, name: text, nameFa: { type: 'string' } },
        },
      },
    }, async (req, reply) => {
      const id = await changed(await registry.addMember(req.body as never));
      return reply.status(201).send({ id });
    });
    app.delete('/members/:id', {
      schema: { description: 'Remove a member; refused (Admin.Conflict) while it has subsystems', params: idParam },
    }, async (req, reply) => {
      await changed(await registry.removeMember(idOf(req)));
      return reply.status(204).send();
    });

    app.get('/subsystems', async () => registry.listSubsystems());
    app.post('/subsystems', {
      schema: { body: { type: 'object', required: ['subsystemId'], additionalProperties: false, properties: { subsystemId: text, name: { type: 'string' } } } },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.addSubsystem(req.body as never)) }));
    app.delete('/subsystems/:id', {
      schema: {
        description: 'Remove a subsystem with its own access rights and group memberships, revoking its certificates; refused (Admin.Conflict) while it provides services',
        params: idParam,
      },
    }, async (req, reply) => {
      await changed(await registry.removeSubsystem(idOf(req)));
      return reply.status(204).send();
    });
    app.get('/subsystems/:id/certificates', { schema: { description: 'Certificates issued to a subsystem, revoked ones included', params: idParam } },
      async (req) => registry.listCertificates(idOf(req)));
    app.delete('/subsystems/:id/certificates', {
      schema: { description: 'Revoke every certificate of a subsystem still in force', params: idParam },
    }, async (req) => ({ revoked: await changed(await registry.revokeSubsystemCertificates(idOf(req))) }));

    app.get('/certificates', { schema: { description: 'Client certificates issued through this registry, revoked ones included' } },
      async () => registry.listCertificates());
    app.delete('/certificates/:serial', {
      schema: {
        description: 'Revoke one certificate by its serial (hexadecimal)',
        params: { type: 'object', properties: { serial: text }, required: ['serial'] },
      },
    }, async (req, reply) => {
      await changed(await registry.revokeCertificate((req.params as { serial: string }).serial));
      return reply.status(204).send();
    });

    app.get('/provider-hosts', { schema: { description: 'The allow-list for provider base URLs on this machine, loopback or link-local addresses' } },
      async () => registry.listProviderHosts());
    app.post('/provider-hosts', {
      schema: {
        description: 'Allow HOST (every port but the node\'s own) or HOST:PORT as a provider address',
        body: { type: 'object', required: ['host'], additionalProperties: false, properties: { host: text, note: { type: 'string' } } },
      },
    }, async (req, reply) => {
      const b = req.body as { host: string; note?: string };
      return reply.status(201).send({ entry: await changed(await registry.allowProviderHost(b.host, b.note)) });
    });
    app.delete('/provider-hosts/:id', {
      schema: { description: 'Remove an allow-list entry (HOST or HOST:PORT, percent-encoded); refused while a service relies on it', params: idParam },
    }, async (req, reply) => {
      await changed(await registry.removeProviderHost(idOf(req)));
      return reply.status(204).send();
    });

    const serviceBody = {
      type: 'object', required: ['serviceId', 'title', 'baseUrl', 'contract'], additionalProperties: false,
      properties: {
        serviceId: text, title: text, baseUrl: text, contract: { type: 'object' },
        timeoutMs: { type: 'integer', minimum: 1, maximum: 300000 }, maxRatePerSecond: { type: 'integer', minimum: 1 },
      },
    } as const;
    app.get('/services', async () => registry.listServices());
    app.get('/services/:id', { schema: { params: idParam } }, async (req) => registry.getService((req.params as { id: string }).id));
    app.post('/services', { schema: { body: serviceBody } }, async (req, reply) =>
      reply.status(201).send({ id: await changed(await registry.putService(req.body as never)) }));
    app.put('/services/:id', { schema: { params: idParam, body: serviceBody } }, async (req) => {
      const body = req.body as { serviceId: string };
      const id = (req.params as { id: string }).id;
      if (body.serviceId !== id) fail(Errors.InvalidInput, 'serviceId must match the path');
      return { id: await changed(await registry.putService(req.body as never, 'admin', true)) };
    });
    app.delete('/services/:id', { schema: { params: idParam } }, async (req, reply) => {
      await changed(await registry.removeService((req.params as { id: string }).id));
      return reply.status(204).send();
    });

    app.get('/groups', async () => registry.listGroups());
    app.post('/groups', {
      schema: { body: { type: 'object', required: ['groupCode', 'description'], additionalProperties: false, properties: { groupCode: text, description: text } } },
    }, async (req, reply) => {
      const b = req.body as { groupCode: string; description: string };
      return reply.status(201).send({ id: await changed(await registry.addGroup(b.groupCode, b.description)) });
    });
    app.post('/groups/:id/members', {
      schema: { params: idParam, body: { type: 'object', required: ['subsystemId'], additionalProperties: false, properties: { subsystemId: text } } },
    }, async (req, reply) => {
      await changed(await registry.addGroupMember((req.params as { id: string }).id, (req.body as { subsystemId: string }).subsystemId));
      return reply.status(201).send({});
    });
    app.delete('/groups/:id/members/:subsystemId', {
      schema: {
        description: 'Take a subsystem out of a group',
        params: { type: 'object', properties: { id: text, subsystemId: text }, required: ['id', 'subsystemId'] },
      },
    }, async (req, reply) => {
      const p = req.params as { id: string; subsystemId: string };
      await changed(await registry.removeGroupMember(p.id, p.subsystemId));
      return reply.status(204).send();
    });

    app.get('/access-rights', async () => registry.listAccessRights());
    app.post('/access-rights', {
      schema: {
        body: {
          type: 'object', required: ['subject', 'serviceId', 'legalBasis'], additionalProperties: false,
          properties: {
            subject: text, serviceId: text, method: { type: 'string' }, path: { type: 'string' }, legalBasis: text,
            validFrom: { type: 'string' }, validUntil: { type: 'string' },
          },
        },
      },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.grant(req.body as never)) }));
    app.delete('/access-rights/:id', { schema: { params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } } }, async (req, reply) => {
      await changed(await registry.revoke((req.params as { id: number }).id));
      return reply.status(204).send();
    });

    app.get('/changes', async () => registry.listChanges());
  };
}
