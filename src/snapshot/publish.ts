// Builds a snapshot from the registry store, signs it and stores it as the next version.
import type { KeyObject } from 'node:crypto';
import type { RegistryDb } from '../store/database.ts';
import type { SnapshotDocument, SignedSnapshot } from './document.ts';
import { signSnapshot } from './signature.ts';

export interface PublishOptions {
  instance: string;
  nodeId: string;
  signingKey: KeyObject;
  /** How long a snapshot stays valid; the publisher re-issues well before that. */
  validityMs: number;
  now: () => Date;
}

export async function buildSnapshot(db: RegistryDb, version: number, o: PublishOptions): Promise<SnapshotDocument> {
  const now = o.now();
  // A certificate past its end is refused by the TLS check anyway; a day's margin covers clock skew
  // between the publisher and the nodes. Revocations of expired certificates stay in the store.
  const revokedSince = new Date(now.getTime() - REVOKED_MARGIN_MS).toISOString();
  const [members, subsystems, services, groups, groupMembers, rights, revoked] = await Promise.all([
    db.selectFrom('members').selectAll().orderBy('id').execute(),
    db.selectFrom('subsystems').selectAll().orderBy('id').execute(),
    db.selectFrom('services').selectAll().orderBy('id').execute(),
    db.selectFrom('groups').selectAll().orderBy('id').execute(),
    db.selectFrom('group_members').selectAll().orderBy('subsystem_id').execute(),
    db.selectFrom('access_rights').selectAll().orderBy('id').execute(),
    db.selectFrom('certificates').select('serial').where('revoked_at', 'is not', null).where('not_after', '>', revokedSince).orderBy('serial').execute(),
  ]);
  return {
    format: 'tabadol-snapshot/1',
    instance: o.instance,
    version,
    createdAt: now.toISOString(),
    validUntil: new Date(now.getTime() + o.validityMs).toISOString(),
    publisher: o.nodeId,
    members: members.map((m) => ({ id: m.id, memberClass: m.member_class, memberCode: m.member_code, name: m.name, nameFa: m.name_fa })),
    subsystems: subsystems.map((s) => ({ id: s.id, memberId: s.member_id, subsystemCode: s.subsystem_code, name: s.name })),
    services: services.map((s) => ({
      id: s.id,
      subsystemId: s.subsystem_id,
      serviceCode: s.service_code,
      title: s.title,
      baseUrl: s.base_url,
      timeoutMs: s.timeout_ms,
      maxRatePerSecond: s.max_rate_per_second,
      node: o.nodeId,
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
  };
}

const REVOKED_MARGIN_MS = 24 * 3600_000;

/** How many published versions the store keeps: enough for nodes catching up, not a history. */
export const KEPT_SNAPSHOTS = 20;

/** Publishes the registry as it stands as a new signed version. */
export async function publishSnapshot(db: RegistryDb, o: PublishOptions): Promise<SignedSnapshot> {
  return db.transaction().execute(async (trx) => {
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
  });
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
