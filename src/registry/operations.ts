// The registry's operations on one transaction: every check an operation makes, its writes and its
// entry in the change log. They run only inside Registry.batch (registry.ts), which opens the
// transaction, lets any number of operations run in it and publishes one snapshot before it
// commits; a single admin or CLI change is a batch of one. Nothing here commits on its own.
//
// What a removal takes with it (an operator removes things in the order they were built):
// - a member is refused (Admin.Conflict) while it still has subsystems;
// - a subsystem is refused while it still provides services: consumers depend on them, so the
//   services are removed on purpose first (`service remove` also removes the rights to them).
//   Its own access rights as a consumer and its group memberships go with it, and its
//   certificates are revoked, so that re-registering the same code later does not bring old
//   certificates back to life. The change-log entry lists everything that went.
import { sql } from 'kysely';
import { Errors, fail } from '../errors/catalogue.ts';
import { isValidPart, memberKey, parseServiceId, parseSubsystemId, partProblem, serviceKey, subsystemKey, MEMBER_CLASSES } from '../identifiers/xroad-id.ts';
import { readContract } from '../contracts/openapi.ts';
import type { RegistryDb } from '../store/database.ts';
import { MAX_DESCRIPTION_LENGTH, normaliseName, normaliseOptionalName } from './names.ts';
import {
  allowedBy, formatProviderHost, ownAddresses, parseProviderHost, providerTarget, restrictedHost, type ProviderHostEntry,
} from './provider-address.ts';
import { normaliseSerial } from './serial.ts';
import { checkNodeId } from './central-node.ts';
import { provinceByCode } from '../divisions/provinces.ts';
import type { ContractVerdicts } from './contract-verdicts.ts';

/** Service codes X-Road reserves for metaservices. */
const RESERVED_SERVICE_CODES = new Set(['listMethods', 'allowedMethods', 'getOpenAPI', 'listClients']);
const DEFAULT_TIMEOUT_MS = 10_000;
/** A home node and its standbys: a province's node and a few others at most. */
const MAX_SERVING_NODES = 8;
/** The ports a node listens on unless told otherwise (admin, TLS data, plain-HTTP data): never a provider's. */
const DEFAULT_NODE_PORTS = [4000, 8443, 8080, 5500];
export const NODE_PORTS_SETTING = 'node.ports';

export interface CertificateInput { serial: string; subsystemId: string; notBefore: string; notAfter: string }
export interface RevokedCertificate { serial: string; subsystemId: string; notAfter: string }

export interface MemberInput { memberClass: string; memberCode: string; name: string; nameFa?: string | undefined }
export interface SubsystemInput {
  subsystemId: string;
  name?: string | undefined;
  /** The node whose providers serve its services; the registry's central node when absent. */
  homeNode?: string | undefined;
  /** The province it serves from, as the Statistical Centre's two-digit code; national when absent. */
  province?: string | undefined;
}
export interface ServiceInput {
  serviceId: string;
  title: string;
  baseUrl: string;
  contract: unknown;
  timeoutMs?: number | undefined;
  maxRatePerSecond?: number | undefined;
}
export interface GrantInput {
  subject: string; // subsystem id (4 parts) or group id (INSTANCE/GROUP)
  serviceId: string;
  method?: string | undefined;
  path?: string | undefined;
  legalBasis: string;
  validFrom?: string | undefined;
  validUntil?: string | undefined;
}

export type RegistryTable = 'members' | 'subsystems' | 'services' | 'groups';

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(Errors.InvalidInput, `${name} is required`);
  return value.trim();
}

function isoOrFail(value: string, name: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) fail(Errors.InvalidInput, `${name} is not an ISO 8601 date: ${value}`);
  return new Date(t).toISOString();
}

function revocationReason(text: string | undefined): string {
  return normaliseOptionalName(text, 'reason', MAX_DESCRIPTION_LENGTH) ?? 'revoked by the operator';
}

export async function nodePortsIn(db: RegistryDb): Promise<Set<number>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', NODE_PORTS_SETTING).executeTakeFirst();
  return new Set([...DEFAULT_NODE_PORTS, ...(row ? JSON.parse(row.value) as number[] : [])]);
}

function providerHostEntries(db: RegistryDb): Promise<ProviderHostEntry[]> {
  return db.selectFrom('provider_hosts').select(['host', 'port']).execute();
}

/** Why the node may not call this URL as things stand (restricted and not on the allow-list), or undefined. */
export async function providerAddressProblemIn(db: RegistryDb, url: URL): Promise<{ entry: string; reason: string } | undefined> {
  const target = providerTarget(url);
  const reason = restrictedHost(target.host, ownAddresses());
  if (reason === undefined) return undefined;
  if (allowedBy(await providerHostEntries(db), target, await nodePortsIn(db))) return undefined;
  return { entry: formatProviderHost(target), reason };
}

export interface ChangeContext {
  /** The change's transaction. */
  readonly trx: RegistryDb;
  readonly instance: string;
  readonly centralNode: string;
  readonly actor: string;
  readonly now: () => string;
  readonly verdicts: ContractVerdicts;
}

/** The operations of one registry change; see the top of this file. */
export class RegistryChange {
  private logged = 0;

  constructor(private readonly c: ChangeContext) {}

  get instance(): string {
    return this.c.instance;
  }

  /** How many change-log entries this change has written so far. */
  get entries(): number {
    return this.logged;
  }

  private get trx(): RegistryDb {
    return this.c.trx;
  }

  /** Writes a change-log entry; every operation ends with one. */
  async log(action: string, objectId: string, detail: unknown): Promise<void> {
    await this.trx.insertInto('changes').values({ at: this.c.now(), actor: this.c.actor, action, object_id: objectId, detail: JSON.stringify(detail) }).execute();
    this.logged++;
  }

  async exists(table: RegistryTable, id: string): Promise<boolean> {
    return (await this.trx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  /** Also refuses an id differing from an existing one only in letter case: `nocr` is not a second `NOCR`. */
  private async mustNotExist(table: RegistryTable, id: string): Promise<void> {
    const row = await this.trx.selectFrom(table).select('id').where((eb) => eb(eb.fn<string>('lower', ['id']), '=', id.toLowerCase())).executeTakeFirst();
    if (row) fail(Errors.AlreadyExists, row.id === id ? id : `${id} differs from ${row.id} only in letter case`);
  }

  private async mustExist(table: RegistryTable, id: string): Promise<void> {
    if (!(await this.exists(table, id))) fail(Errors.NotFound, `${table.slice(0, -1)} ${id}`);
  }

  async addMember(input: MemberInput): Promise<string> {
    const memberClass = requireText(input.memberClass, 'memberClass');
    const memberCode = requireText(input.memberCode, 'memberCode');
    if (!(MEMBER_CLASSES as readonly string[]).includes(memberClass)) fail(Errors.InvalidInput, `memberClass must be one of ${MEMBER_CLASSES.join(', ')}`);
    if (!isValidPart(memberCode)) fail(Errors.InvalidInput, `memberCode ${partProblem(memberCode)}: ${JSON.stringify(memberCode)}`);
    const id = memberKey({ instance: this.instance, memberClass, memberCode });
    const name = normaliseName(input.name, 'name');
    const nameFa = normaliseOptionalName(input.nameFa, 'nameFa');
    await this.mustNotExist('members', id);
    await this.trx.insertInto('members').values({
      id, instance: this.instance, member_class: memberClass, member_code: memberCode, name, name_fa: nameFa, created_at: this.c.now(),
    }).execute();
    await this.log('member.add', id, input);
    return id;
  }

  async addSubsystem(input: SubsystemInput): Promise<string> {
    const sid = parseSubsystemId(requireText(input.subsystemId, 'subsystemId'), Errors.InvalidInput);
    if (sid.instance !== this.instance) fail(Errors.InvalidInput, `instance must be ${this.instance}`);
    const memberId = memberKey(sid);
    await this.mustExist('members', memberId);
    const id = subsystemKey(sid);
    const name = normaliseOptionalName(input.name, 'name');
    const home = input.homeNode === undefined ? undefined : await this.servingNode(requireText(input.homeNode, 'homeNode'), 'homeNode');
    const province = input.province === undefined ? null
      : provinceByCode(requireText(input.province, 'province'))?.code ?? fail(Errors.InvalidInput, 'province must be a province code from 00 to 30');
    await this.mustNotExist('subsystems', id);
    await this.trx.insertInto('subsystems').values({
      // One spelling for "the central node": null, so that the snapshot resolves it from settings.
      id, member_id: memberId, subsystem_code: sid.subsystemCode, name, home_node: home === this.c.centralNode ? null : home ?? null, province, created_at: this.c.now(),
    }).execute();
    await this.log('subsystem.add', id, input);
    return id;
  }

  /**
   * The nodes that serve a subsystem's services, in order: the first is its home node, the others
   * stand by; a consumer's node tries them in this order, healthy ones first (route.ts). Each must
   * be the central node or a registered node, so that no service points at a node nobody runs.
   */
  async setSubsystemNodes(subsystemId: string, nodes: readonly string[]): Promise<{ homeNode: string; standbyNodes: string[] }> {
    await this.mustExist('subsystems', subsystemId);
    if (!Array.isArray(nodes) || nodes.length === 0 || nodes.length > MAX_SERVING_NODES) fail(Errors.InvalidInput, `nodes must list 1 to ${MAX_SERVING_NODES} node ids, the home node first`);
    const ids: string[] = [];
    for (const n of nodes) {
      const id = await this.servingNode(requireText(n, 'nodes'), 'nodes');
      if (ids.some((x) => x.toLowerCase() === id.toLowerCase())) fail(Errors.InvalidInput, `node ${id} is listed twice`);
      ids.push(id);
    }
    const [home, ...standby] = ids as [string, ...string[]];
    await this.trx.updateTable('subsystems').set({
      home_node: home === this.c.centralNode ? null : home,
      standby_nodes: standby.length === 0 ? null : standby.join(','),
    }).where('id', '=', subsystemId).execute();
    await this.log('subsystem.nodes', subsystemId, { homeNode: home, standbyNodes: standby });
    return { homeNode: home, standbyNodes: standby };
  }

  /** A node a subsystem may be served by: the registry's central node or a registered node. */
  private async servingNode(text: string, name: string): Promise<string> {
    const id = checkNodeId(text, name);
    if (id === this.c.centralNode) return id;
    const row = await this.trx.selectFrom('nodes').select('id').where('id', '=', id).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `node ${id}: register it first (tabadol node add)`);
    return id;
  }

  /** Adds a service, or replaces its contract and settings when `replace` is set. */
  async putService(input: ServiceInput, replace = false): Promise<string> {
    const sid = parseServiceId(requireText(input.serviceId, 'serviceId'), Errors.InvalidInput);
    if (RESERVED_SERVICE_CODES.has(sid.serviceCode)) fail(Errors.InvalidInput, `${sid.serviceCode} is reserved for metaservices`);
    const subsystemId = subsystemKey(sid);
    await this.mustExist('subsystems', subsystemId);
    const id = serviceKey(sid);
    const baseUrl = requireText(input.baseUrl, 'baseUrl');
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      fail(Errors.InvalidInput, `baseUrl is not a URL: ${baseUrl}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(Errors.InvalidInput, 'baseUrl must be http or https');
    // Credentials would travel in every snapshot and log line; a query or fragment would be dropped silently.
    if (url.username || url.password) fail(Errors.InvalidInput, 'baseUrl must not carry a user name or password');
    if (url.search || url.hash) fail(Errors.InvalidInput, 'baseUrl must not have a query or fragment');
    await this.checkProviderAddress(url);
    const title = normaliseName(input.title, 'title');
    await this.c.verdicts.check(input.contract);
    const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 300_000) fail(Errors.InvalidInput, 'timeoutMs must be 1 to 300000');
    // A service under an SLA keeps the SLA's rate when it is replaced without one: re-registering a
    // contract must not silently lift the limit the SLA document promises.
    const slaRate = replace
      ? (await this.trx.selectFrom('service_levels').select('max_rate_per_second').where('service_id', '=', id).executeTakeFirst())?.max_rate_per_second
      : undefined;
    const rate = input.maxRatePerSecond ?? slaRate ?? null;
    if (rate !== null && (!Number.isInteger(rate) || rate < 1)) fail(Errors.InvalidInput, 'maxRatePerSecond must be a positive integer');

    const row = {
      subsystem_id: subsystemId, service_code: sid.serviceCode, title,
      base_url: baseUrl.replace(/\/+$/, ''), timeout_ms: timeoutMs, max_rate_per_second: rate,
      contract: JSON.stringify(input.contract), updated_at: this.c.now(),
    };
    const existing = await this.exists('services', id);
    if (existing && !replace) fail(Errors.AlreadyExists, id);
    if (!existing) await this.mustNotExist('services', id);
    if (existing) await this.trx.updateTable('services').set(row).where('id', '=', id).execute();
    else await this.trx.insertInto('services').values({ id, created_at: this.c.now(), ...row }).execute();
    await this.log(existing ? 'service.update' : 'service.add', id, { ...input, contract: undefined });
    return id;
  }

  async removeService(serviceId: string): Promise<void> {
    await this.mustExist('services', serviceId);
    await this.trx.deleteFrom('access_rights').where('service_id', '=', serviceId).execute();
    await this.trx.deleteFrom('services').where('id', '=', serviceId).execute();
    await this.log('service.remove', serviceId, {});
  }

  async addGroup(groupCode: string, description: string): Promise<string> {
    const code = requireText(groupCode, 'groupCode');
    if (!isValidPart(code)) fail(Errors.InvalidInput, `groupCode ${partProblem(code)}: ${JSON.stringify(code)}`);
    const id = `${this.instance}/${code}`;
    const text = normaliseName(description, 'description', MAX_DESCRIPTION_LENGTH);
    await this.mustNotExist('groups', id);
    await this.trx.insertInto('groups').values({ id, description: text, created_at: this.c.now() }).execute();
    await this.log('group.add', id, { description: text });
    return id;
  }

  async isGroupMember(groupId: string, subsystemId: string): Promise<boolean> {
    const row = await this.trx.selectFrom('group_members').select('group_id')
      .where('group_id', '=', groupId).where('subsystem_id', '=', subsystemId).executeTakeFirst();
    return row !== undefined;
  }

  /** Whether the subject already holds a right to the whole service (no method or path). */
  async holdsWholeService(subject: string, serviceId: string): Promise<boolean> {
    const row = await this.trx.selectFrom('access_rights').select('id').where('service_id', '=', serviceId)
      .where('subject_id', '=', subject).where('method', 'is', null).executeTakeFirst();
    return row !== undefined;
  }

  async addGroupMember(groupId: string, subsystemId: string): Promise<void> {
    await this.mustExist('groups', groupId);
    await this.mustExist('subsystems', subsystemId);
    if (await this.isGroupMember(groupId, subsystemId)) fail(Errors.AlreadyExists, `${subsystemId} in ${groupId}`);
    await this.trx.insertInto('group_members').values({ group_id: groupId, subsystem_id: subsystemId }).execute();
    await this.log('group.member.add', groupId, { subsystemId });
  }

  async grant(input: GrantInput): Promise<number> {
    const subject = requireText(input.subject, 'subject');
    const subjectType = subject.split('/').length === 2 ? 'group' : 'subsystem';
    await this.mustExist(subjectType === 'group' ? 'groups' : 'subsystems', subject);
    const serviceId = requireText(input.serviceId, 'serviceId');
    await this.mustExist('services', serviceId);
    const legalBasis = normaliseName(input.legalBasis, 'legalBasis', MAX_DESCRIPTION_LENGTH);
    let method: string | null = null;
    let path: string | null = null;
    if (input.method || input.path) {
      method = requireText(input.method, 'method').toUpperCase();
      path = requireText(input.path, 'path');
      const service = await this.trx.selectFrom('services').select('contract').where('id', '=', serviceId).executeTakeFirstOrThrow();
      const endpoints = readContract(JSON.parse(service.contract));
      if (!endpoints.some((e) => e.method === method && e.path === path)) {
        fail(Errors.InvalidInput, `the contract of ${serviceId} has no endpoint ${method} ${path}`);
      }
    }
    const validFrom = input.validFrom ? isoOrFail(input.validFrom, 'validFrom') : this.c.now();
    const validUntil = input.validUntil ? isoOrFail(input.validUntil, 'validUntil') : null;
    if (validUntil && validUntil <= validFrom) fail(Errors.InvalidInput, 'validUntil must be after validFrom');
    const row = await this.trx.insertInto('access_rights').values({
      subject_id: subject, subject_type: subjectType, service_id: serviceId, method, path,
      legal_basis: legalBasis, valid_from: validFrom, valid_until: validUntil, created_at: this.c.now(),
    }).returning('id').executeTakeFirstOrThrow();
    await this.log('access.grant', serviceId, { ...input, id: row.id });
    return row.id;
  }

  async revoke(id: number): Promise<void> {
    const row = await this.trx.selectFrom('access_rights').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `access right ${id}`);
    await this.trx.deleteFrom('access_rights').where('id', '=', id).execute();
    await this.log('access.revoke', row.service_id, row);
  }

  // --- Removals (see the top of this file for what each takes with it).

  async removeMember(memberId: string): Promise<void> {
    await this.mustExist('members', memberId);
    const subsystems = await this.trx.selectFrom('subsystems').select('id').where('member_id', '=', memberId).orderBy('id').execute();
    if (subsystems.length > 0) {
      fail(Errors.Conflict, `member ${memberId} still has subsystems (${subsystems.map((x) => x.id).join(', ')}): remove them first`);
    }
    const row = await this.trx.selectFrom('members').selectAll().where('id', '=', memberId).executeTakeFirstOrThrow();
    await this.trx.deleteFrom('members').where('id', '=', memberId).execute();
    await this.log('member.remove', memberId, { name: row.name, nameFa: row.name_fa });
  }

  async removeSubsystem(subsystemId: string): Promise<void> {
    await this.mustExist('subsystems', subsystemId);
    const trx = this.trx;
    const services = await trx.selectFrom('services').select('id').where('subsystem_id', '=', subsystemId).orderBy('id').execute();
    if (services.length > 0) {
      fail(Errors.Conflict, `subsystem ${subsystemId} still provides services (${services.map((x) => x.id).join(', ')}): remove them first`);
    }
    const now = this.c.now();
    const rights = await trx.selectFrom('access_rights').select(['id', 'service_id', 'method', 'path', 'legal_basis'])
      .where('subject_type', '=', 'subsystem').where('subject_id', '=', subsystemId).orderBy('id').execute();
    await trx.deleteFrom('access_rights').where('subject_type', '=', 'subsystem').where('subject_id', '=', subsystemId).execute();
    const groups = await trx.selectFrom('group_members').select('group_id').where('subsystem_id', '=', subsystemId).orderBy('group_id').execute();
    await trx.deleteFrom('group_members').where('subsystem_id', '=', subsystemId).execute();
    const certificates = await trx.updateTable('certificates').set({ revoked_at: now, revoked_reason: 'subsystem removed' })
      .where('subsystem_id', '=', subsystemId).where('revoked_at', 'is', null).returning('serial').execute();
    await trx.deleteFrom('subsystems').where('id', '=', subsystemId).execute();
    await this.log('subsystem.remove', subsystemId, {
      accessRightsRemoved: rights.map((r) => ({ id: r.id, serviceId: r.service_id, method: r.method, path: r.path, legalBasis: r.legal_basis })),
      groupsLeft: groups.map((g) => g.group_id),
      certificatesRevoked: certificates.map((c) => c.serial),
    });
  }

  async removeGroupMember(groupId: string, subsystemId: string): Promise<void> {
    await this.mustExist('groups', groupId);
    if (!(await this.isGroupMember(groupId, subsystemId))) fail(Errors.NotFound, `${subsystemId} is not a member of ${groupId}`);
    await this.trx.deleteFrom('group_members').where('group_id', '=', groupId).where('subsystem_id', '=', subsystemId).execute();
    await this.log('group.member.remove', groupId, { subsystemId });
  }

  // --- Client certificates: the registry knows every certificate `cert issue` made, so that a
  // subsystem's certificates can be revoked together; revoked serials travel in the snapshot.

  async recordCertificate(input: CertificateInput): Promise<string> {
    const serial = normaliseSerial(input.serial);
    const subsystemId = requireText(input.subsystemId, 'subsystemId');
    await this.mustExist('subsystems', subsystemId);
    const known = await this.trx.selectFrom('certificates').select('serial').where('serial', '=', serial).executeTakeFirst();
    if (known) fail(Errors.AlreadyExists, `certificate ${serial}`);
    await this.trx.insertInto('certificates').values({
      serial, subsystem_id: subsystemId, not_before: isoOrFail(input.notBefore, 'notBefore'), not_after: isoOrFail(input.notAfter, 'notAfter'),
      issued_at: this.c.now(), revoked_at: null, revoked_reason: null,
    }).execute();
    await this.log('certificate.issue', subsystemId, { serial, notAfter: input.notAfter });
    return serial;
  }

  async revokeCertificate(serialText: string, reasonText?: string): Promise<RevokedCertificate[]> {
    const serial = normaliseSerial(serialText);
    const reason = revocationReason(reasonText);
    const row = await this.trx.selectFrom('certificates').selectAll().where('serial', '=', serial).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `no certificate with serial ${serial} was issued through this registry`);
    if (row.revoked_at) fail(Errors.Conflict, `certificate ${serial} was already revoked at ${row.revoked_at}`);
    await this.trx.updateTable('certificates').set({ revoked_at: this.c.now(), revoked_reason: reason }).where('serial', '=', serial).execute();
    await this.log('certificate.revoke', row.subsystem_id, { serials: [serial], reason });
    return [{ serial, subsystemId: row.subsystem_id, notAfter: row.not_after }];
  }

  /** Revokes every certificate of a subsystem still in force. */
  async revokeSubsystemCertificates(subsystemId: string, reasonText?: string): Promise<RevokedCertificate[]> {
    const reason = revocationReason(reasonText);
    const rows = await this.trx.selectFrom('certificates').selectAll().where('subsystem_id', '=', subsystemId)
      .where('revoked_at', 'is', null).where('not_after', '>', this.c.now()).orderBy('issued_at').execute();
    if (rows.length === 0) fail(Errors.NotFound, `no certificate of ${subsystemId} is in force`);
    const serials = rows.map((r) => r.serial);
    await this.trx.updateTable('certificates').set({ revoked_at: this.c.now(), revoked_reason: reason }).where('serial', 'in', serials).execute();
    await this.log('certificate.revoke', subsystemId, { serials, reason });
    return rows.map((r) => ({ serial: r.serial, subsystemId, notAfter: r.not_after }));
  }

  // --- Provider hosts: the operator's allow-list for base URLs the address rules refuse
  // (src/registry/provider-address.ts).

  async allowProviderHost(text: string, note: string | undefined): Promise<string> {
    const entry = parseProviderHost(requireText(text, 'host'));
    const cleanNote = normaliseOptionalName(note, 'note', MAX_DESCRIPTION_LENGTH) ?? '';
    const label = formatProviderHost(entry);
    if (await this.findProviderHost(entry)) fail(Errors.AlreadyExists, `provider host ${label}`);
    await this.trx.insertInto('provider_hosts').values({ host: entry.host, port: entry.port, note: cleanNote, created_at: this.c.now() }).execute();
    await this.log('provider-host.allow', label, { note: cleanNote });
    return label;
  }

  /** Refused while a registered service relies on the entry: remove or move those services first. */
  async removeProviderHost(text: string): Promise<void> {
    const entry = parseProviderHost(requireText(text, 'host'));
    const label = formatProviderHost(entry);
    const row = await this.findProviderHost(entry);
    if (!row) fail(Errors.NotFound, `provider host ${label}`);
    const rest = (await providerHostEntries(this.trx)).filter((e) => !(e.host === entry.host && e.port === entry.port));
    const [own, nodePorts] = [ownAddresses(), await nodePortsIn(this.trx)];
    const relying = (await this.trx.selectFrom('services').select(['id', 'base_url']).orderBy('id').execute()).filter((s) => {
      const target = providerTarget(new URL(s.base_url));
      return restrictedHost(target.host, own) !== undefined && allowedBy([entry], target, nodePorts) && !allowedBy(rest, target, nodePorts);
    });
    if (relying.length > 0) fail(Errors.Conflict, `services rely on provider host ${label} (${relying.map((s) => s.id).join(', ')})`);
    await this.trx.deleteFrom('provider_hosts').where('id', '=', row.id).execute();
    await this.log('provider-host.remove', label, { note: row.note });
  }

  private findProviderHost(entry: ProviderHostEntry) {
    return this.trx.selectFrom('provider_hosts').selectAll().where('host', '=', entry.host)
      .where(sql<number>`coalesce(port, 0)`, '=', entry.port ?? 0).executeTakeFirst();
  }

  /** Why the node may not call this URL as the change sees the registry, or undefined. */
  providerAddressProblem(url: URL): Promise<{ entry: string; reason: string } | undefined> {
    return providerAddressProblemIn(this.trx, url);
  }

  /** Refuses a base URL on this machine, loopback or link-local unless the allow-list names it. */
  private async checkProviderAddress(url: URL): Promise<void> {
    const problem = await this.providerAddressProblem(url);
    if (!problem) return;
    fail(Errors.InvalidInput,
      `baseUrl points to ${problem.reason} (${problem.entry}); if the provider really lives there, allow it first: tabadol provider-hosts allow ${problem.entry}`);
  }
}
