// Registry routes of the admin API: one schema per route (params, body, every status it answers),
// from which the handler's types come. Identifiers contain slashes, so an id in a path is
// percent-encoded as one segment (e.g. /v1/services/IR%2FGOV%2FNOCR%2Fidentity%2Fperson).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Errors, fail } from '../errors/catalogue.ts';
import type { AdminDeps } from './admin-deps.ts';
import {
  AccessRight, AccessRightParam, answers, BODY_REFUSALS, Certificate, Change, Created, Group, GroupInput, GroupMemberInput,
  GroupMemberParams, GrantInput, IdParam, Member, MemberInput, NoContent, ProviderHost, ProviderHostInput, RevokedCertificate,
  SerialParam, Service, ServiceInput, ServiceSummary, Subsystem, SubsystemInput, SubsystemNodes, SubsystemNodesInput,
} from './schemas.ts';

const list = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) => answers({ 200: Type.Array(item, { description }) });
const createdId = Created(Type.String());

export function registryRoutes(deps: AdminDeps): FastifyPluginAsyncTypebox {
  const { registry } = deps;
  const changed = async <T>(result: T): Promise<T> => {
    await deps.afterChange();
    return result;
  };

  return async (app) => {
    app.get('/members', { schema: { operationId: 'listMembers', response: list(Member.ref(), 'Every member, by id') } }, () => registry.listMembers());
    app.post('/members', {
      schema: { operationId: 'addMember', body: MemberInput, response: answers({ 201: createdId }, [...BODY_REFUSALS, 409]) },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.addMember(req.body)) }));
    app.delete('/members/:id', {
      schema: {
        operationId: 'removeMember', description: 'Remove a member; refused (Admin.Conflict) while it has subsystems',
        params: IdParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => {
      await changed(await registry.removeMember(req.params.id));
      return reply.status(204).send();
    });

    app.get('/subsystems', { schema: { operationId: 'listSubsystems', response: list(Subsystem.ref(), 'Every subsystem, by id') } }, () => registry.listSubsystems());
    app.post('/subsystems', {
      schema: {
        operationId: 'addSubsystem', description: 'Add a subsystem to a registered member',
        body: SubsystemInput, response: answers({ 201: createdId }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.addSubsystem(req.body)) }));
    app.delete('/subsystems/:id', {
      schema: {
        operationId: 'removeSubsystem',
        description: 'Remove a subsystem with its own access rights and group memberships, revoking its certificates; refused (Admin.Conflict) while it provides services',
        params: IdParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => {
      await changed(await registry.removeSubsystem(req.params.id));
      return reply.status(204).send();
    });
    app.put('/subsystems/:id/nodes', {
      schema: {
        operationId: 'setSubsystemNodes',
        description: 'Set the nodes serving a subsystem: its home node, then standbys a consumer\'s node fails over to when one cannot be reached. Each must be the central node or a registered node',
        params: IdParam, body: SubsystemNodesInput, response: answers({ 200: SubsystemNodes }, [...BODY_REFUSALS, 404]),
      },
    }, async (req) => changed(await registry.setSubsystemNodes(req.params.id, req.body.nodes)));
    app.get('/subsystems/:id/certificates', {
      schema: {
        operationId: 'listSubsystemCertificates', description: 'Certificates issued to a subsystem, revoked ones included',
        params: IdParam, response: answers({ 200: Type.Array(Certificate.ref(), { description: 'The subsystem\'s certificates, oldest first; none for an unknown subsystem' }) }, [400]),
      },
    }, (req) => registry.listCertificates(req.params.id));
    app.delete('/subsystems/:id/certificates', {
      schema: {
        operationId: 'revokeSubsystemCertificates', description: 'Revoke every certificate of a subsystem still in force',
        params: IdParam,
        response: answers({ 200: Type.Object({ revoked: Type.Array(RevokedCertificate.ref()) }, { additionalProperties: false, description: 'The certificates revoked now' }) }, [...BODY_REFUSALS, 404]),
      },
    }, async (req) => ({ revoked: await changed(await registry.revokeSubsystemCertificates(req.params.id)) }));

    app.get('/certificates', {
      schema: {
        operationId: 'listCertificates', description: 'Client certificates issued through this registry, revoked ones included',
        response: list(Certificate.ref(), 'Every certificate, oldest first'),
      },
    }, () => registry.listCertificates());
    app.delete('/certificates/:serial', {
      schema: {
        operationId: 'revokeCertificate', description: 'Revoke one certificate by its serial (hexadecimal)',
        params: SerialParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => {
      await changed(await registry.revokeCertificate(req.params.serial));
      return reply.status(204).send();
    });

    app.get('/provider-hosts', {
      schema: {
        operationId: 'listProviderHosts', description: 'The allow-list for provider base URLs on this machine, loopback or link-local addresses',
        response: list(ProviderHost.ref(), 'The allow-list, by host and port'),
      },
    }, () => registry.listProviderHosts());
    app.post('/provider-hosts', {
      schema: {
        operationId: 'allowProviderHost', description: 'Allow HOST (every port but the node\'s own) or HOST:PORT as a provider address',
        body: ProviderHostInput,
        response: answers({ 201: Type.Object({ entry: Type.String() }, { additionalProperties: false, description: 'Allowed' }) }, [...BODY_REFUSALS, 409]),
      },
    }, async (req, reply) => reply.status(201).send({ entry: await changed(await registry.allowProviderHost(req.body.host, req.body.note)) }));
    app.delete('/provider-hosts/:id', {
      schema: {
        operationId: 'removeProviderHost',
        description: 'Remove an allow-list entry (HOST or HOST:PORT, percent-encoded); refused while a service relies on it',
        params: IdParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => {
      await changed(await registry.removeProviderHost(req.params.id));
      return reply.status(204).send();
    });

    app.get('/services', { schema: { operationId: 'listServices', response: list(ServiceSummary.ref(), 'Every service, by id, without its contract') } }, () => registry.listServices());
    app.get('/services/:id', {
      schema: { operationId: 'getService', description: 'A service with its contract', params: IdParam, response: answers({ 200: Service.ref({ description: 'The service' }) }, [400, 404]) },
    }, (req) => registry.getService(req.params.id));
    app.post('/services', {
      schema: {
        operationId: 'addService', description: 'Register a service of a registered subsystem, with its OpenAPI 3.1 contract',
        body: ServiceInput, response: answers({ 201: createdId }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.putService(req.body)) }));
    app.put('/services/:id', {
      schema: {
        operationId: 'replaceService', description: 'Replace a service\'s contract and settings, or register it; serviceId must be the path\'s id',
        params: IdParam, body: ServiceInput, response: answers({ 200: Type.Object({ id: Type.String() }, { additionalProperties: false, description: 'Replaced or registered' }) }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req) => {
      if (req.body.serviceId !== req.params.id) fail(Errors.InvalidInput, 'serviceId must match the path');
      return { id: await changed(await registry.putService(req.body, 'admin', true)) };
    });
    app.delete('/services/:id', {
      schema: {
        operationId: 'removeService', description: 'Remove a service and the access rights to it',
        params: IdParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => {
      await changed(await registry.removeService(req.params.id));
      return reply.status(204).send();
    });

    app.get('/groups', { schema: { operationId: 'listGroups', response: list(Group.ref(), 'Every group with its members, by id') } }, () => registry.listGroups());
    app.post('/groups', {
      schema: { operationId: 'addGroup', body: GroupInput, response: answers({ 201: createdId }, [...BODY_REFUSALS, 409]) },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.addGroup(req.body.groupCode, req.body.description)) }));
    app.post('/groups/:id/members', {
      schema: {
        operationId: 'addGroupMember', description: 'Put a subsystem in a group',
        params: IdParam, body: GroupMemberInput,
        response: answers({ 201: Type.Object({}, { additionalProperties: false, description: 'Added' }) }, [...BODY_REFUSALS, 404, 409]),
      },
    }, async (req, reply) => {
      await changed(await registry.addGroupMember(req.params.id, req.body.subsystemId));
      return reply.status(201).send({});
    });
    app.delete('/groups/:id/members/:subsystemId', {
      schema: {
        operationId: 'removeGroupMember', description: 'Take a subsystem out of a group',
        params: GroupMemberParams, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => {
      await changed(await registry.removeGroupMember(req.params.id, req.params.subsystemId));
      return reply.status(204).send();
    });

    app.get('/access-rights', { schema: { operationId: 'listAccessRights', response: list(AccessRight.ref(), 'Every access right, oldest first') } }, () => registry.listAccessRights());
    app.post('/access-rights', {
      schema: {
        operationId: 'grantAccess', description: 'Grant a subsystem or group access to a service, or to one endpoint (method and path) of it',
        body: GrantInput, response: answers({ 201: Created(Type.Integer()) }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => reply.status(201).send({ id: await changed(await registry.grant(req.body)) }));
    app.delete('/access-rights/:id', {
      schema: {
        operationId: 'revokeAccess', description: 'Revoke an access right',
        params: AccessRightParam, response: answers({ 204: NoContent }, [...BODY_REFUSALS, 404]),
      },
    }, async (req, reply) => {
      await changed(await registry.revoke(req.params.id));
      return reply.status(204).send();
    });

    app.get('/changes', {
      schema: { operationId: 'listChanges', description: 'The latest 100 registry changes, newest first', response: list(Change.ref(), 'The latest changes, newest first') },
    }, () => registry.listChanges());
  };
}
