// The registry's operations, shared by the admin API, the CLI and bulk loads. Every change is one
// transaction: its checks, its writes, its change-log entry and the signed snapshot it causes
// commit together or not at all, so the data plane never misses a committed change and the log
// never names a change that did not happen. `batch` runs many operations, each with its own
// checks (operations.ts), as one change with one snapshot.
import { Errors, fail } from '../errors/catalogue.ts';
import type { RegistryDb } from '../store/database.ts';
import { publishSnapshotIn, type PublishOptions } from '../snapshot/publish.ts';
import type { SignedSnapshot } from '../snapshot/document.ts';
import { formatProviderHost } from './provider-address.ts';
import { claimCentralNode, type RegistryRole } from './central-node.ts';
import { ContractVerdicts } from './contract-verdicts.ts';
import { bindOversight, OversightReads, oversightOf, type OversightChange } from './oversight-data.ts';
import {
  NODE_PORTS_SETTING, nodePortsIn, providerAddressProblemIn, RegistryChange,
  type CertificateInput, type GrantInput, type MemberInput, type RevokedCertificate, type ServiceInput, type SubsystemInput,
} from './operations.ts';

export type {
  CertificateInput, GrantInput, MemberInput, RevokedCertificate, ServiceInput, SubsystemInput,
} from './operations.ts';
export type { RegistryChange } from './operations.ts';

export interface RegistryOptions extends PublishOptions {
  /** 'node' (the default): this process is the node that owns the registry, and `nodeId` must be
   * its central node. 'tool': `nodeId` only names the central node of a registry not yet
   * created (registry/central-node.ts). */
  role?: RegistryRole | undefined;
}

export interface BatchResult<T> {
  value: T;
  /** The snapshot the change published; undefined when it changed nothing. */
  snapshot: SignedSnapshot | undefined;
}

export class Registry {
  private readonly verdicts = new ContractVerdicts();

  constructor(
    readonly db: RegistryDb,
    private readonly options: RegistryOptions,
  ) {}

  get instance(): string {
    return this.options.instance;
  }

  private get role(): RegistryRole {
    return this.options.role ?? 'node';
  }

  private now(): string {
    return this.options.now().toISOString();
  }

  /**
   * The registry's central node, recorded now if the registry has none. A node calls this at
   * start: started with an id other than the recorded one, it is refused (Admin.NodeIdMismatch)
   * before it serves anything.
   */
  centralNode(): Promise<string> {
    return this.db.transaction().execute((trx) => claimCentralNode(trx, this.options.nodeId, this.role));
  }

  /**
   * Runs `fn`'s operations as one change: one transaction, each operation's own checks and
   * change-log entry, and one snapshot published before the commit. If an operation or the
   * snapshot fails, nothing of the change stays. Inside `fn`, use only the operations it is
   * given (the registry's own methods would wait for this transaction to end).
   */
  batch<T>(fn: (change: RegistryChange) => Promise<T>, actor = 'admin'): Promise<BatchResult<T>> {
    return this.db.transaction().execute(async (trx) => {
      // First statement: takes the write lock, so concurrent changes queue rather than collide.
      const centralNode = await claimCentralNode(trx, this.options.nodeId, this.role);
      const change = new RegistryChange({ trx, instance: this.instance, centralNode, actor, now: () => this.now(), verdicts: this.verdicts });
      bindOversight(change, trx, () => this.now());
      const value = await fn(change);
      const snapshot = change.entries > 0 ? await publishSnapshotIn(trx, { ...this.options, centralNode }) : undefined;
      return { value, snapshot };
    });
  }

  private async change<T>(actor: string, fn: (change: RegistryChange) => Promise<T>): Promise<T> {
    return (await this.batch(fn, actor)).value;
  }

  /** Publishes the registry as it stands as a new signed version (re-issue before expiry). */
  publish(): Promise<SignedSnapshot> {
    return this.db.transaction().execute(async (trx) =>
      publishSnapshotIn(trx, { ...this.options, centralNode: await claimCentralNode(trx, this.options.nodeId, this.role) }));
  }

  /**
   * The registry's contract check, outside any change: a bulk load checks its contracts before
   * opening its transaction, so that the write lock is not held while they are proved. The
   * operations check again, from the same memory of accepted shapes (contract-verdicts.ts).
   */
  checkContract(contract: unknown): Promise<void> {
    return this.verdicts.check(contract);
  }

  addMember(input: MemberInput, actor = 'admin'): Promise<string> {
    return this.change(actor, (c) => c.addMember(input));
  }

  addSubsystem(input: SubsystemInput, actor = 'admin'): Promise<string> {
    return this.change(actor, (c) => c.addSubsystem(input));
  }

  /** The nodes serving a subsystem, home node first, then its standbys in failover order. */
  setSubsystemNodes(subsystemId: string, nodes: readonly string[], actor = 'admin'): Promise<{ homeNode: string; standbyNodes: string[] }> {
    return this.change(actor, (c) => c.setSubsystemNodes(subsystemId, nodes));
  }

  /** Adds a service, or replaces its contract and settings when `replace` is set. */
  putService(input: ServiceInput, actor = 'admin', replace = false): Promise<string> {
    return this.change(actor, (c) => c.putService(input, replace));
  }

  removeService(serviceId: string, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.removeService(serviceId));
  }

  addGroup(groupCode: string, description: string, actor = 'admin'): Promise<string> {
    return this.change(actor, (c) => c.addGroup(groupCode, description));
  }

  addGroupMember(groupId: string, subsystemId: string, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.addGroupMember(groupId, subsystemId));
  }

  grant(input: GrantInput, actor = 'admin'): Promise<number> {
    return this.change(actor, (c) => c.grant(input));
  }

  revoke(id: number, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.revoke(id));
  }

  removeMember(memberId: string, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.removeMember(memberId));
  }

  removeSubsystem(subsystemId: string, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.removeSubsystem(subsystemId));
  }

  removeGroupMember(groupId: string, subsystemId: string, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.removeGroupMember(groupId, subsystemId));
  }

  recordCertificate(input: CertificateInput, actor = 'admin'): Promise<string> {
    return this.change(actor, (c) => c.recordCertificate(input));
  }

  revokeCertificate(serialText: string, actor = 'admin', reasonText?: string): Promise<RevokedCertificate[]> {
    return this.change(actor, (c) => c.revokeCertificate(serialText, reasonText));
  }

  /** Revokes every certificate of a subsystem still in force. */
  revokeSubsystemCertificates(subsystemId: string, actor = 'admin', reasonText?: string): Promise<RevokedCertificate[]> {
    return this.change(actor, (c) => c.revokeSubsystemCertificates(subsystemId, reasonText));
  }

  allowProviderHost(text: string, note: string | undefined, actor = 'admin'): Promise<string> {
    return this.change(actor, (c) => c.allowProviderHost(text, note));
  }

  /** Refused while a registered service relies on the entry: remove or move those services first. */
  removeProviderHost(text: string, actor = 'admin'): Promise<void> {
    return this.change(actor, (c) => c.removeProviderHost(text));
  }

  /** A subsystem's certificates neither revoked nor expired. */
  certificatesInForce(subsystemId: string) {
    return this.db.selectFrom('certificates').selectAll().where('subsystem_id', '=', subsystemId)
      .where('revoked_at', 'is', null).where('not_after', '>', this.now()).orderBy('issued_at').execute();
  }

  listCertificates(subsystemId?: string) {
    let q = this.db.selectFrom('certificates').selectAll();
    if (subsystemId) q = q.where('subsystem_id', '=', subsystemId);
    return q.orderBy('issued_at').orderBy('serial').execute();
  }

  async listProviderHosts() {
    const rows = await this.db.selectFrom('provider_hosts').selectAll().orderBy('host').orderBy('port').execute();
    return rows.map((r) => ({ entry: formatProviderHost(r), host: r.host, port: r.port, note: r.note, createdAt: r.created_at }));
  }

  /**
   * The ports the node itself listens on; recorded by the node at start, so the CLI knows them too.
   * Only the node that owns the registry records them (another node's ports are not this one's),
   * so a node started with another id is refused here at the latest.
   */
  async recordNodePorts(ports: (number | null)[]): Promise<void> {
    const value = JSON.stringify([...new Set(ports.filter((p): p is number => Number.isInteger(p) && p! > 0))].sort((a, b) => a - b));
    await this.db.transaction().execute(async (trx) => {
      await claimCentralNode(trx, this.options.nodeId, this.role);
      await trx.insertInto('settings').values({ key: NODE_PORTS_SETTING, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
    });
  }

  nodePorts(): Promise<Set<number>> {
    return nodePortsIn(this.db);
  }

  /** Why the node may not call this URL as things stand (restricted and not on the allow-list), or undefined. */
  providerAddressProblem(url: URL): Promise<{ entry: string; reason: string } | undefined> {
    return providerAddressProblemIn(this.db, url);
  }

  /** One change of the oversight data (service levels, savings, baselines, mandates, the UN survey; oversight-data.ts). */
  changeOversight<T>(fn: (o: OversightChange) => Promise<T>, actor = 'admin'): Promise<T> {
    return this.change(actor, (c) => fn(oversightOf(c)));
  }

  /** Reads of the oversight data. */
  get oversight(): OversightReads {
    return new OversightReads(this.db);
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
