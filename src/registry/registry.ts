// The registry's operations, shared by the admin API and the CLI. Each change is checked, written
// with an entry in the change log, and followed by a new signed snapshot, so that the data plane
// sees it within one snapshot poll.
import { Errors, fail, TabadolError } from '../errors/catalogue.ts';
import { isValidPart, memberKey, parseServiceId, parseSubsystemId, serviceKey, subsystemKey, MEMBER_CLASSES } from '../identifiers/xroad-id.ts';
import { readContract } from '../contracts/openapi.ts';
import { compileValidator } from '../contracts/validators.ts';
import type { RegistryDb } from '../store/database.ts';
import { publishSnapshot, type PublishOptions } from '../snapshot/publish.ts';
import type { SignedSnapshot } from '../snapshot/document.ts';

/** Service codes X-Road reserves for metaservices. */
const RESERVED_SERVICE_CODES = new Set(['listMethods', 'allowedMethods', 'getOpenAPI', 'listClients']);
const DEFAULT_TIMEOUT_MS = 10_000;

export interface MemberInput { memberClass: string; memberCode: string; name: string; nameFa?: string | undefined }
export interface SubsystemInput { subsystemId: string; name?: string | undefined }
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

function requireText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(Errors.InvalidInput, `${name} is required`);
  return value.trim();
}

function isoOrFail(value: string, name: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) fail(Errors.InvalidInput, `${name} is not an ISO 8601 date: ${value}`);
  return new Date(t).toISOString();
}

export class Registry {
  constructor(
    readonly db: RegistryDb,
    private readonly publishOptions: PublishOptions,
  ) {}

  get instance(): string {
    return this.publishOptions.instance;
  }

  private now(): string {
    return this.publishOptions.now().toISOString();
  }

  private async logAndPublish(actor: string, action: string, objectId: string, detail: unknown): Promise<void> {
    await this.db.insertInto('changes').values({ at: this.now(), actor, action, object_id: objectId, detail: JSON.stringify(detail) }).execute();
    await this.publish();
  }

  publish(): Promise<SignedSnapshot> {
    return publishSnapshot(this.db, this.publishOptions);
  }

  private async mustNotExist(table: 'members' | 'subsystems' | 'services' | 'groups', id: string): Promise<void> {
    const row = await this.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
    if (row) fail(Errors.AlreadyExists, id);
  }

  private async mustExist(table: 'members' | 'subsystems' | 'services' | 'groups', id: string): Promise<void> {
    const row = await this.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `${table.slice(0, -1)} ${id}`);
  }

  async addMember(input: MemberInput, actor = 'admin'): Promise<string> {
    const memberClass = requireText(input.memberClass, 'memberClass');
    const memberCode = requireText(input.memberCode, 'memberCode');
    if (!(MEMBER_CLASSES as readonly string[]).includes(memberClass)) fail(Errors.InvalidInput, `memberClass must be one of ${MEMBER_CLASSES.join(', ')}`);
    if (!isValidPart(memberCode)) fail(Errors.InvalidInput, `memberCode has characters X-Road identifiers do not allow: ${memberCode}`);
    const id = memberKey({ instance: this.instance, memberClass, memberCode });
    await this.mustNotExist('members', id);
    await this.db.insertInto('members').values({
      id, instance: this.instance, member_class: memberClass, member_code: memberCode,
      name: requireText(input.name, 'name'), name_fa: input.nameFa ?? null, created_at: this.now(),
    }).execute();
    await this.logAndPublish(actor, 'member.add', id, input);
    return id;
  }

  async addSubsystem(input: SubsystemInput, actor = 'admin'): Promise<string> {
    const sid = parseSubsystemId(requireText(input.subsystemId, 'subsystemId'), Errors.InvalidInput);
    if (sid.instance !== this.instance) fail(Errors.InvalidInput, `instance must be ${this.instance}`);
    const memberId = memberKey(sid);
    await this.mustExist('members', memberId);
    const id = subsystemKey(sid);
    await this.mustNotExist('subsystems', id);
    await this.db.insertInto('subsystems').values({
      id, member_id: memberId, subsystem_code: sid.subsystemCode, name: input.name ?? null, created_at: this.now(),
    }).execute();
    await this.logAndPublish(actor, 'subsystem.add', id, input);
    return id;
  }

  /** Adds a service, or replaces its contract and settings when `replace` is set. */
  async putService(input: ServiceInput, actor = 'admin', replace = false): Promise<string> {
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
    checkContract(input.contract);
    const timeoutMs = input.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(timeoutMs) || timeoutMs < 1 || timeoutMs > 300_000) fail(Errors.InvalidInput, 'timeoutMs must be 1 to 300000');
    const rate = input.maxRatePerSecond ?? null;
    if (rate !== null && (!Number.isInteger(rate) || rate < 1)) fail(Errors.InvalidInput, 'maxRatePerSecond must be a positive integer');

    const row = {
      subsystem_id: subsystemId, service_code: sid.serviceCode, title: requireText(input.title, 'title'),
      base_url: baseUrl.replace(/\/+$/, ''), timeout_ms: timeoutMs, max_rate_per_second: rate,
      contract: JSON.stringify(input.contract), updated_at: this.now(),
    };
    const existing = await this.db.selectFrom('services').select('id').where('id', '=', id).executeTakeFirst();
    if (existing && !replace) fail(Errors.AlreadyExists, id);
    if (existing) await this.db.updateTable('services').set(row).where('id', '=', id).execute();
    else await this.db.insertInto('services').values({ id, created_at: this.now(), ...row }).execute();
    await this.logAndPublish(actor, existing ? 'service.update' : 'service.add', id, { ...input, contract: undefined });
    return id;
  }

  async removeService(serviceId: string, actor = 'admin'): Promise<void> {
    await this.mustExist('services', serviceId);
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('access_rights').where('service_id', '=', serviceId).execute();
      await trx.deleteFrom('services').where('id', '=', serviceId).execute();
    });
    await this.logAndPublish(actor, 'service.remove', serviceId, {});
  }

  async addGroup(groupCode: string, description: string, actor = 'admin'): Promise<string> {
    const code = requireText(groupCode, 'groupCode');
    if (!isValidPart(code)) fail(Errors.InvalidInput, `groupCode has characters X-Road identifiers do not allow: ${code}`);
    const id = `${this.instance}/${code}`;
    await this.mustNotExist('groups', id);
    await this.db.insertInto('groups').values({ id, description: requireText(description, 'description'), created_at: this.now() }).execute();
    await this.logAndPublish(actor, 'group.add', id, { description });
    return id;
  }

  async addGroupMember(groupId: string, subsystemId: string, actor = 'admin'): Promise<void> {
    await this.mustExist('groups', groupId);
    await this.mustExist('subsystems', subsystemId);
    const row = await this.db.selectFrom('group_members').select('group_id')
      .where('group_id', '=', groupId).where('subsystem_id', '=', subsystemId).executeTakeFirst();
    if (row) fail(Errors.AlreadyExists, `${subsystemId} in ${groupId}`);
    await this.db.insertInto('group_members').values({ group_id: groupId, subsystem_id: subsystemId }).execute();
    await this.logAndPublish(actor, 'group.member.add', groupId, { subsystemId });
  }

  async grant(input: GrantInput, actor = 'admin'): Promise<number> {
    const subject = requireText(input.subject, 'subject');
    const subjectType = subject.split('/').length === 2 ? 'group' : 'subsystem';
    await this.mustExist(subjectType === 'group' ? 'groups' : 'subsystems', subject);
    const serviceId = requireText(input.serviceId, 'serviceId');
    await this.mustExist('services', serviceId);
    const legalBasis = requireText(input.legalBasis, 'legalBasis');
    let method: string | null = null;
    let path: string | null = null;
    if (input.method || input.path) {
      method = requireText(input.method, 'method').toUpperCase();
      path = requireText(input.path, 'path');
      const service = await this.db.selectFrom('services').select('contract').where('id', '=', serviceId).executeTakeFirstOrThrow();
      const endpoints = readContract(JSON.parse(service.contract));
      if (!endpoints.some((e) => e.method === method && e.path === path)) {
        fail(Errors.InvalidInput, `the contract of ${serviceId} has no endpoint ${method} ${path}`);
      }
    }
    const validFrom = input.validFrom ? isoOrFail(input.validFrom, 'validFrom') : this.now();
    const validUntil = input.validUntil ? isoOrFail(input.validUntil, 'validUntil') : null;
    if (validUntil && validUntil <= validFrom) fail(Errors.InvalidInput, 'validUntil must be after validFrom');
    const row = await this.db.insertInto('access_rights').values({
      subject_id: subject, subject_type: subjectType, service_id: serviceId, method, path,
      legal_basis: legalBasis, valid_from: validFrom, valid_until: validUntil, created_at: this.now(),
    }).returning('id').executeTakeFirstOrThrow();
    await this.logAndPublish(actor, 'access.grant', serviceId, { ...input, id: row.id });
    return row.id;
  }

  async revoke(id: number, actor = 'admin'): Promise<void> {
    const row = await this.db.selectFrom('access_rights').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `access right ${id}`);
    await this.db.deleteFrom('access_rights').where('id', '=', id).execute();
    await this.logAndPublish(actor, 'access.revoke', row.service_id, row);
  }

  // --- Reads (control plane only; the data plane reads the snapshot).
  listMembers() { return this.db.selectFrom('members').selectAll().orderBy('id').execute(); }
  listSubsystems() { return this.db.selectFrom('subsystems').selectAll().orderBy('id').execute(); }
  listServices() {
    return this.db.selectFrom('services')
      .select(['id', 'subsystem_id', 'service_code', 'title', 'base_url', 'timeout_ms', 'max_rate_per_second', 'updated_at'])
      .orderBy('id').execute();
  }
  async getService(id: string) {
    const row = await this.db.selectFrom('services').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) fail(Errors.NotFound, `service ${id}`);
    return { ...row, contract: JSON.parse(row.contract) as unknown };
  }
  listAccessRights() { return this.db.selectFrom('access_rights').selectAll().orderBy('id').execute(); }
  async listGroups() {
    const [groups, members] = await Promise.all([
      this.db.selectFrom('groups').selectAll().orderBy('id').execute(),
      this.db.selectFrom('group_members').selectAll().execute(),
    ]);
    return groups.map((g) => ({ ...g, members: members.filter((m) => m.group_id === g.id).map((m) => m.subsystem_id) }));
  }
  listChanges(limit = 100) { return this.db.selectFrom('changes').selectAll().orderBy('id', 'desc').limit(limit).execute(); }
}

/** Refuses a contract the data plane could not enforce: bad shape or a schema that does not compile. */
export function checkContract(contract: unknown): void {
  const endpoints = readContract(contract);
  for (const e of endpoints) {
    try {
      compileValidator('params', e.paramsSchema);
      if (e.bodySchema) compileValidator('body', e.bodySchema);
      for (const schema of Object.values(e.responses)) compileValidator('response', schema);
    } catch (err) {
      if (err instanceof TabadolError) throw err;
      fail(Errors.InvalidContract, `${e.method} ${e.path}: ${(err as Error).message}`);
    }
  }
}
