// A snapshot compiled for the request path: maps for every lookup the pipeline makes, endpoint
// matchers and contract validators built once here, never per request.
import { clientListBodies, type ClientEntry, type ClientListBodies } from './protocol/client-list.ts';
import { compileEndpoints, type CompiledEndpoint } from './endpoints.ts';
export type { CompiledEndpoint } from './endpoints.ts';
import type { SnapshotDocument, SnapshotNode, SnapshotService, SnapshotSubsystem } from '../snapshot/document.ts';

export interface CompiledService {
  def: SnapshotService;
  id: string;
  providerId: string; // the provider subsystem
  origin: string;
  basePath: string;
  endpoints: CompiledEndpoint[];
  /** Endpoint list for metaservices, in X-Road's shape. */
  endpointList: { method: string; path: string }[];
  /** The nodes that serve it, home node first, then its standbys in failover order. */
  servingNodes: readonly string[];
}

export interface Grant {
  rightId: number;
  method: string | null;
  path: string | null;
  legalBasis: string;
  from: number;
  until: number;
}

export interface RuntimeSnapshot {
  doc: SnapshotDocument;
  version: number;
  instance: string;
  validUntil: number;
  subsystems: Map<string, SnapshotSubsystem>;
  services: Map<string, CompiledService>;
  servicesByProvider: Map<string, CompiledService[]>;
  /** service id → client subsystem id → grants (groups already expanded). */
  grants: Map<string, Map<string, Grant[]>>;
  /** Serials of revoked client certificates (upper-case hex), looked up once per request. */
  revokedSerials: ReadonlySet<string>;
  /** listClients' answers, in both forms. */
  clientList: ClientListBodies;
  /** node id → the node and its node-to-node address, for routing to a service's home node. */
  nodes: ReadonlyMap<string, SnapshotNode>;
}

function xroadMemberId(doc: SnapshotDocument, s: SnapshotSubsystem | undefined, memberId: string) {
  const m = doc.members.find((x) => x.id === memberId);
  return { m, s };
}

export function compileSnapshot(doc: SnapshotDocument): RuntimeSnapshot {
  const subsystems = new Map(doc.subsystems.map((s) => [s.id, s]));
  const services = new Map<string, CompiledService>();
  const servicesByProvider = new Map<string, CompiledService[]>();
  for (const def of doc.services) {
    const url = new URL(def.baseUrl);
    const endpoints = compileEndpoints(def);
    const compiled: CompiledService = {
      def,
      id: def.id,
      providerId: def.subsystemId,
      origin: url.origin,
      basePath: url.pathname === '/' ? '' : url.pathname,
      endpoints,
      endpointList: endpoints.map((e) => ({ method: e.method, path: e.path })),
      servingNodes: [def.node, ...(def.standbyNodes ?? [])],
    };
    services.set(def.id, compiled);
    const list = servicesByProvider.get(def.subsystemId) ?? [];
    list.push(compiled);
    servicesByProvider.set(def.subsystemId, list);
  }

  const groupMembers = new Map(doc.groups.map((g) => [g.id, g.members]));
  const grants = new Map<string, Map<string, Grant[]>>();
  for (const r of doc.accessRights) {
    const clients = r.subjectType === 'group' ? groupMembers.get(r.subjectId) ?? [] : [r.subjectId];
    const byClient = grants.get(r.serviceId) ?? new Map<string, Grant[]>();
    grants.set(r.serviceId, byClient);
    const grant: Grant = {
      rightId: r.id,
      method: r.method,
      path: r.path,
      legalBasis: r.legalBasis,
      from: Date.parse(r.validFrom),
      until: r.validUntil ? Date.parse(r.validUntil) : Number.POSITIVE_INFINITY,
    };
    for (const c of clients) byClient.set(c, [...(byClient.get(c) ?? []), grant]);
  }

  const listClients: ClientEntry[] = [
    ...doc.members.map((m): ClientEntry => ({
      id: { object_type: 'MEMBER', xroad_instance: doc.instance, member_class: m.memberClass, member_code: m.memberCode },
      name: m.name,
    })),
    ...doc.subsystems.map((s): ClientEntry => {
      const { m } = xroadMemberId(doc, s, s.memberId);
      return {
        id: {
          object_type: 'SUBSYSTEM', xroad_instance: doc.instance, member_class: m?.memberClass ?? '', member_code: m?.memberCode ?? '',
          subsystem_code: s.subsystemCode,
        },
        name: m?.name ?? s.id,
      };
    }),
  ];

  return {
    doc,
    version: doc.version,
    instance: doc.instance,
    validUntil: Date.parse(doc.validUntil),
    subsystems,
    services,
    servicesByProvider,
    grants,
    revokedSerials: new Set(doc.revokedSerials ?? []),
    clientList: clientListBodies(listClients),
    nodes: new Map((doc.nodes ?? []).map((n) => [n.id, n])),
  };
}

/** Whether one of the grants allows this endpoint at this instant. */
export function findGrant(grants: Grant[] | undefined, endpoint: CompiledEndpoint | undefined, now: number): Grant | undefined {
  if (!grants) return undefined;
  for (const g of grants) {
    if (now < g.from || now >= g.until) continue;
    if (g.method === null) return g;
    if (endpoint && g.method === endpoint.method && g.path === endpoint.path) return g;
  }
  return undefined;
}
