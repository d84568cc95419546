// What the tracker needs of the registry to name who asked: members' and subsystems' names,
// services' titles, and which subsystems are the inspection organisation's. Taken from the signed
// snapshot the node runs on (never the registry store) and handed to the tracker's thread whenever
// a newer snapshot is loaded, so a request reads only memory for names. On the central node it also
// says which other nodes to ask (across-nodes.ts) and which node certificates are revoked.
import type { SnapshotDocument } from '../snapshot/document.ts';
import { INSPECTORS_GROUP, trackerServiceId } from './tracker-id.ts';

export interface Directory {
  version: number;
  trackerServiceId: string;
  members: Record<string, { nameEn: string; nameFa: string | null }>;
  subsystems: Record<string, { memberId: string; name: string | null }>;
  services: Record<string, { title: string; providerId: string }>;
  /** Subsystems shown the official's user id. */
  inspectors: string[];
  /** The exchange's provincial nodes and their node-to-node ports: where a citizen's inquiries may be recorded besides. */
  provinces: { id: string; url: string }[];
  /** Serials of revoked certificates: a node presenting one is not asked. */
  revokedSerials: string[];
}

export function directoryOf(doc: SnapshotDocument, version: number): Directory {
  const d: Directory = {
    version, trackerServiceId: trackerServiceId(doc.instance), members: {}, subsystems: {}, services: {}, inspectors: [],
    provinces: (doc.nodes ?? []).filter((n) => n.role === 'provincial').map((n) => ({ id: n.id, url: n.url })),
    revokedSerials: doc.revokedSerials ?? [],
  };
  for (const m of doc.members) d.members[m.id] = { nameEn: m.name, nameFa: m.nameFa };
  for (const s of doc.subsystems) d.subsystems[s.id] = { memberId: s.memberId, name: s.name };
  for (const s of doc.services) d.services[s.id] = { title: s.title, providerId: s.subsystemId };
  // Only subsystems count: a group naming a group is not a thing the registry has.
  d.inspectors = doc.groups.find((g) => g.id === `${doc.instance}/${INSPECTORS_GROUP}`)?.members ?? [];
  return d;
}

/** `IR/GOV/NOCR/identity` → `IR/GOV/NOCR`. */
export function memberOf(subsystemId: string): string {
  return subsystemId.split('/').slice(0, 3).join('/');
}
