// X-Road's REST metaservices: listClients, and per provider subsystem listMethods, allowedMethods
// and getOpenAPI. They answer from the snapshot alone.
import { Errors, fail } from '../errors/catalogue.ts';
import { findGrant, type CompiledService, type RuntimeSnapshot } from './runtime-snapshot.ts';

export interface MetaAnswer { status: number; body: string }

function serviceEntry(s: CompiledService, snapshot: RuntimeSnapshot) {
  const [instance, memberClass, memberCode, subsystemCode] = s.providerId.split('/');
  return {
    object_type: 'SERVICE',
    xroad_instance: instance ?? snapshot.instance,
    member_class: memberClass,
    member_code: memberCode,
    subsystem_code: subsystemCode,
    service_code: s.def.serviceCode,
    service_type: 'OPENAPI',
    endpoint_list: s.endpointList,
  };
}

function providerServices(snapshot: RuntimeSnapshot, providerId: string): CompiledService[] {
  if (!snapshot.subsystems.has(providerId)) fail(Errors.UnknownService, `no provider subsystem ${providerId}`);
  return snapshot.servicesByProvider.get(providerId) ?? [];
}

export function listMethods(snapshot: RuntimeSnapshot, providerId: string): MetaAnswer {
  const services = providerServices(snapshot, providerId).map((s) => serviceEntry(s, snapshot));
  return { status: 200, body: JSON.stringify({ service: services }) };
}

/** The services of the provider this client may call now, each with the endpoints it may call. */
export function allowedMethods(snapshot: RuntimeSnapshot, providerId: string, client: string, now: number): MetaAnswer {
  const services = [];
  for (const s of providerServices(snapshot, providerId)) {
    const grants = snapshot.grants.get(s.id)?.get(client);
    if (findGrant(grants, undefined, now)) {
      services.push(serviceEntry(s, snapshot));
      continue;
    }
    const endpoints = s.endpoints.filter((e) => findGrant(grants, e, now)).map((e) => ({ method: e.method, path: e.path }));
    if (endpoints.length > 0) services.push({ ...serviceEntry(s, snapshot), endpoint_list: endpoints });
  }
  return { status: 200, body: JSON.stringify({ service: services }) };
}

export function getOpenApi(snapshot: RuntimeSnapshot, providerId: string, query: string): MetaAnswer {
  const serviceCode = new URLSearchParams(query).get('serviceCode');
  if (!serviceCode) fail(Errors.BadRequest, 'getOpenAPI needs the serviceCode query parameter');
  const service = providerServices(snapshot, providerId).find((s) => s.def.serviceCode === serviceCode);
  if (!service) fail(Errors.UnknownService, `${providerId}/${serviceCode}`);
  return { status: 200, body: JSON.stringify(service.def.contract) };
}
