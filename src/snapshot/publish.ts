// Builds a snapshot from the registry store, signs it and stores it as the next version. A registry
// change publishes inside its own transaction (registry/registry.ts), so that the change, its
// change-log entry and the snapshot it causes commit together or not at all.
import type { KeyObject } from 'node:crypto';
import type { RegistryDb } from '../store/database.ts';
import { Errors, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import type { SnapshotDocument, SignedSnapshot } from './document.ts';
import { signSnapshot } from './signature.ts';

export interface PublishOptions {
  instance: string;
  /** The node this process runs as (or, for a tool, the central node of a registry it creates). */
  nodeId: string;
  signingKey: KeyObject;
  /** How long a snapshot stays valid; the publisher re-issues well before that. */
  validityMs: number;
  now: () => Date;
}

export interface PublishTarget extends PublishOptions {
  /** The registry's central node (registry/central-node.ts): the publisher, and the home of every
   * subsystem that names no other. Never the id of whichever process happens to publish. */
  centralNode: string;
}

export async function buildSnapshot(db: RegistryDb, version: number, o: PublishTarget): Promise<SnapshotDocument> {
  const now = o.now();
  // A certificate past its end is refused by the TLS check anyway; a day's margin covers clock skew
  // between the publisher and the nodes. Revocations of expired certificates stay in the store.
  const revokedSince = new Date(now.getTime() - REVOKED_MARGIN_MS).toISOString();
  const [members, subsystems, services, groups, groupMembers, rights, revoked, nodes] = await Promise.all([
    db.selectFrom('members').selectAll().orderBy('id').execute(),
    db.selectFrom('subsystems').selectAll().orderBy('id').execute(),
    db.selectFrom('services').selectAll().orderBy('id').execute(),
    db.selectFrom('groups').selectAll().orderBy('id').execute(),
    db.selectFrom('group_members').selectAll().orderBy('subsystem_id').execute(),
    db.selectFrom('access_rights').selectAll().orderBy('id').execute(),
    // Subsystems' client certificates and nodes' certificates share the one list: serials are unique across both.
    db.selectFrom('certificates').select('serial').where('revoked_at', 'is not', null).where('not_after', '>', revokedSince)
      .unionAll(db.selectFrom('node_certificates').select('serial').where('revoked_at', 'is not', null).where('not_after', '>', revokedSince))
      .orderBy('serial').execute(),
    // The exchange's nodes and their node-port addresses (registry/nodes.ts): where routing sends an
    // exchange to its provider's home node. The record key stays in the store: peers need no copy.
    db.selectFrom('nodes').select(['id', 'role', 'province', 'url']).orderBy('id').execute(),
  ]);
  const homeOf = new Map(subsystems.map((s) => [s.id, s.home_node ?? o.centralNode]));
  // Only where a subsystem has standbys: a snapshot without any keeps the shape it had before them.
  const standbyOf = new Map(subsystems.filter((s) => s.standby_nodes !== null).map((s) => [s.id, { standbyNodes: s.standby_nodes!.split(',') }]));
  return {
    format: 'tabadol-snapshot/1',
    instance: o.instance,
    version,
    createdAt: now.toISOString(),
    validUntil: new Date(now.getTime() + o.validityMs).toISOString(),
    publisher: o.centralNode,
    members: members.map((m) => ({ id: m.id, memberClass: m.member_class, memberCode: m.member_code, name: m.name, nameFa: m.name_fa })),
    subsystems: subsystems.map((s) => ({ id: s.id, memberId: s.member_id, subsystemCode: s.subsystem_code, name: s.name, node: homeOf.get(s.id)!, ...standbyOf.get(s.id) })),
    services: services.map((s) => ({
      id: s.id,
      subsystemId: s.subsystem_id,
      serviceCode: s.service_code,
      title: s.title,
      baseUrl: s.base_url,
      timeoutMs: s.timeout_ms,
      maxRatePerSecond: s.max_rate_per_second,
      // A service lives where its subsystem does (registry data, not the publisher's id).
      node: homeOf.get(s.subsystem_id) ?? o.centralNode,
      ...standbyOf.get(s.subsystem_id),
      contract: JSON.parse(s.contract),
    })),
    groups: groups.map((g) => ({
      id: g.id,
      description: g.description,
      members: groupMembers.filter((m) => m.group_id === g.id).map((m) => m.subsystem_id),
    })),
    accessRights: rights.map((r) => ({
      id: r.id,
      subjectId: r.subject_id,
      subjectType: r.subject_type,
      serviceId: r.service_id,
      method: r.method,
      path: r.path,
      legalBasis: r.legal_basis,
      validFrom: r.valid_from,
      validUntil: r.valid_until,
    })),
    revokedSerials: revoked.map((c) => c.serial),
    nodes: nodes.map((n) => ({ id: n.id, role: n.role, province: n.province, url: n.url })),
  };
}

const REVOKED_MARGIN_MS = 24 * 3600_000;

/** How many published versions the store keeps: enough for nodes catching up, not a history. */
export const KEPT_SNAPSHOTS = 20;

/**
 * Publishes the registry as `trx` sees it as the next signed version, inside the caller's
 * transaction: if anything here fails, the caller's transaction rolls back with it.
 */
export async function publishSnapshotIn(trx: RegistryDb, o: PublishTarget): Promise<SignedSnapshot> {
  try {
    const last = await trx.selectFrom('snapshots').select((eb) => eb.fn.max('version').as('v')).executeTakeFirst();
    const version = Number(last?.v ?? 0) + 1;
    const doc = await buildSnapshot(trx, version, o);
    const signed = signSnapshot(doc, o.signingKey);
    await trx.insertInto('snapshots').values({
      version,
      created_at: doc.createdAt,
      valid_until: doc.validUntil,
      document: signed.document,
      signature: signed.signature,
    }).execute();
    // A snapshot of a national registry is megabytes; keep a short history, not every change.
    await trx.deleteFrom('snapshots').where('version', '<=', version - KEPT_SNAPSHOTS).execute();
    return signed;
  } catch (e) {
    if (isTabadolError(e)) throw e;
    throw new TabadolError(Errors.SnapshotPublishFailed, (e as Error).message, { cause: e });
  }
}

/** Publishes the registry as it stands as a new signed version, in a transaction of its own. */
export async function publishSnapshot(db: RegistryDb, o: PublishOptions & { centralNode?: string }): Promise<SignedSnapshot> {
  return db.transaction().execute((trx) => publishSnapshotIn(trx, { ...o, centralNode: o.centralNode ?? o.nodeId }));
}

export async function latestSnapshot(db: RegistryDb, newerThan = 0): Promise<SignedSnapshot | undefined> {
  const row = await db.selectFrom('snapshots').select(['version', 'document', 'signature'])
    .where('version', '>', newerThan).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { version: row.version, document: row.document, signature: row.signature } : undefined;
}

export async function latestSnapshotMeta(db: RegistryDb): Promise<{ version: number; createdAt: string; validUntil: string } | undefined> {
  const row = await db.selectFrom('snapshots').select(['version', 'created_at', 'valid_until']).orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? { version: row.version, createdAt: row.created_at, validUntil: row.valid_until } : undefined;
}

/** When the registry last changed: a snapshot older than that misses a committed change. */
export async function lastChangeAt(db: RegistryDb): Promise<string | undefined> {
  const row = await db.selectFrom('changes').select((eb) => eb.fn.max('at').as('at')).executeTakeFirst();
  return row?.at ?? undefined;
}
