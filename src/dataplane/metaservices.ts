// X-Road's REST metaservices: listClients (PR-META §2), and per provider subsystem listMethods,
// allowedMethods and getOpenAPI (PR-MREST). They answer from the snapshot alone; what does not change
// between requests is built once per snapshot.
import { Errors, fail } from '../errors/catalogue.ts';
import { findGrant, type CompiledService, type RuntimeSnapshot } from './runtime-snapshot.ts';
import { NO_CLIENTS } from './protocol/client-list.ts';

export interface MetaAnswer { status: number; contentType: string; body: string }

const JSON_TYPE = 'application/json; charset=utf-8';
const json = (value: unknown): MetaAnswer => ({ status: 200, contentType: JSON_TYPE, body: JSON.stringify(value) });

/** X-Road's endpoint form: each `{parameter}` is `*` (its OpenApiParser: `\{[^/]*}` → `*`). */
export const wildcardPath = (template: string) => template.replace(/\{[^/]*\}/g, '*');

function serviceEntry(s: CompiledService, snapshot: RuntimeSnapshot, endpoints = s.endpointList) {
  const [instance, memberClass, memberCode, subsystemCode] = s.providerId.split('/');
  return {
    object_type: 'SERVICE',
    xroad_instance: instance ?? snapshot.instance,
    member_class: memberClass,
    member_code: memberCode,
    subsystem_code: subsystemCode,
    service_code: s.def.serviceCode,
    service_type: 'OPENAPI',
    endpoint_list: endpoints.map((e) => ({ method: e.method, path: wildcardPath(e.path) })),
  };
}

function providerServices(snapshot: RuntimeSnapshot, providerId: string): CompiledService[] {
  if (!snapshot.subsystems.has(providerId)) fail(Errors.UnknownService, `no provider subsystem ${providerId}`);
  return snapshot.servicesByProvider.get(providerId) ?? [];
}

// --- listClients: XML clientList unless the caller asks for JSON (PR-META §2, Annex A and C.1).

/** JSON when any media range of Accept, without its parameters, is application/json (X-Road ignores q). */
function acceptsJson(accept: string | undefined): boolean {
  return accept !== undefined && accept.split(',').some((r) => r.split(';', 1)[0]!.trim().toLowerCase() === 'application/json');
}

export function listClients(snapshot: RuntimeSnapshot, query: string, accept: string | undefined): MetaAnswer {
  const instance = new URLSearchParams(query).get('xRoadInstance')?.trim();
  // This exchange knows its own instance only: another instance has no clients here.
  const own = !instance || instance === snapshot.instance;
  const bodies = own ? snapshot.clientList : NO_CLIENTS;
  if (acceptsJson(accept)) return { status: 200, contentType: JSON_TYPE, body: bodies.json };
  return { status: 200, contentType: 'text/xml; charset=utf-8', body: bodies.xml };
}

// --- listMethods, allowedMethods, getOpenAPI

export function listMethods(snapshot: RuntimeSnapshot, providerId: string): MetaAnswer {
  return json({ service: providerServices(snapshot, providerId).map((s) => serviceEntry(s, snapshot)) });
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
    const endpoints = s.endpoints.filter((e) => findGrant(grants, e, now));
    if (endpoints.length > 0) services.push(serviceEntry(s, snapshot, endpoints));
  }
  return json({ service: services });
}

/** `serviceCode` is matched by name case-insensitively and the last one wins, as X-Road reads it. */
function serviceCodeOf(query: string): string | undefined {
  let code: string | undefined;
  for (const [name, value] of new URLSearchParams(query)) if (name.toLowerCase() === 'servicecode') code = value;
  return code;
}

const contracts = new WeakMap<CompiledService, string>();

export function getOpenApi(snapshot: RuntimeSnapshot, providerId: string, query: string): MetaAnswer {
  const serviceCode = serviceCodeOf(query);
  if (!serviceCode) fail(Errors.BadRequest, 'getOpenAPI needs the serviceCode query parameter');
  const service = providerServices(snapshot, providerId).find((s) => s.def.serviceCode === serviceCode);
  if (!service) fail(Errors.UnknownService, `${providerId}/${serviceCode}`);
  let body = contracts.get(service);
  if (body === undefined) {
    // Like X-Road's Openapi3Anonymiser: the provider's own addresses are not the caller's business,
    // wherever the contract names them (document, path item or operation `servers`).
    body = JSON.stringify(service.def.contract, (key, value: unknown) =>
      key === 'servers' && Array.isArray(value)
        ? value.map((s: unknown) => (typeof s === 'object' && s !== null ? { ...s, url: 'http://example.org/xroad-example' } : s))
        : value);
    contracts.set(service, body);
  }
  return { status: 200, contentType: JSON_TYPE, body };
}
