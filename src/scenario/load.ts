// Writes the 1399 scenario into a registry: members, subsystems, 961 services, the group of all
// subsystems, every access right. Registry.putService publishes a signed snapshot per change, so 961
// services would mean 961 snapshots of a growing registry (minutes); instead every row is written in
// one transaction through the registry's own Kysely database and one snapshot is published at the
// end. The checks the operations would make are made here first: every identifier part is a valid
// X-Road part, and every contract passes the registry's contract check (contracts/check-contract.ts).
//
// Loading is idempotent: existing members, subsystems and rights are kept, services are updated
// (their base URL follows the agency server), so it can be run again with another --agencies-url.
//
// The simulated agencies usually listen on loopback, which the registry refuses as a provider
// address unless the operator's allow-list names it: the load adds the agencies' HOST:PORT to the
// allow-list in the same transaction, logs it as its own change and reports it in its summary.
import { Errors, fail } from '../errors/catalogue.ts';
import { parseServiceId, parseSubsystemId, isValidPart } from '../identifiers/xroad-id.ts';
import type { Insertable } from 'kysely';
import type { Registry } from '../registry/registry.ts';
import type { ServiceTable } from '../store/schema.ts';
import { checkContract } from '../contracts/check-contract.ts';
import { parseProviderHost } from '../registry/provider-address.ts';
import { serviceBasePath } from '../agencies/server.ts';
import type { Scenario } from './scenario.ts';

export interface LoadSummary {
  readonly providers: number;
  readonly services: number;
  readonly consumers: number;
  readonly accessRights: number;
  readonly snapshotVersion: number;
  /** The allow-list entry added for the agencies' address, or null when none was needed. */
  readonly allowedProviderHost: string | null;
}

const SERVICE_TIMEOUT_MS = 5000;

type ServiceRow = Insertable<ServiceTable>;

// The 961 generated contracts come in a few dozen shapes that differ only in their human-readable
// annotations. A string-valued title, summary or description decides neither whether a contract
// is valid OpenAPI 3.1 nor what the node enforces, so contracts equal but for those strings pass
// or fail the contract check together: each shape is checked once (the check costs tens of ms).
const ANNOTATIONS = new Set(['title', 'summary', 'description']);
export function contractShape(contract: unknown): string {
  return JSON.stringify(contract, (k, v: unknown) => (ANNOTATIONS.has(k) && typeof v === 'string' ? undefined : v));
}
const CHUNK = 200; // rows per INSERT, well under SQLite's bound-parameter limit

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function loadScenario(registry: Registry, scenario: Scenario, agenciesUrl: string, actor = 'scenario'): Promise<LoadSummary> {
  const inst = registry.instance;
  const root = agenciesUrl.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(root);
  } catch {
    return fail(Errors.InvalidInput, `--agencies-url is not a URL: ${agenciesUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(Errors.InvalidInput, 'the agencies URL must be http or https');
  if (url.username || url.password || url.search || url.hash) fail(Errors.InvalidInput, 'the agencies URL must not carry credentials, a query or a fragment');
  const addressProblem = await registry.providerAddressProblem(url);
  const allowEntry = addressProblem ? parseProviderHost(addressProblem.entry) : undefined;
  const now = new Date().toISOString();

  // --- Rows, checked as the registry operations would check them.
  const members = new Map<string, { id: string; instance: string; member_class: string; member_code: string; name: string; name_fa: string; created_at: string }>();
  const subsystems = new Map<string, { id: string; member_id: string; subsystem_code: string; name: string; created_at: string }>();
  const addSubsystem = (memberClass: string, memberCode: string, name: string, nameFa: string, subsystemCode: string, subsystemName: string): string => {
    const id = `${inst}/${memberClass}/${memberCode}/${subsystemCode}`;
    parseSubsystemId(id, Errors.InvalidInput);
    const memberId = `${inst}/${memberClass}/${memberCode}`;
    if (!members.has(memberId)) members.set(memberId, { id: memberId, instance: inst, member_class: memberClass, member_code: memberCode, name, name_fa: nameFa, created_at: now });
    subsystems.set(id, { id, member_id: memberId, subsystem_code: subsystemCode, name: subsystemName, created_at: now });
    return id;
  };
  for (const a of scenario.agencies) addSubsystem(a.memberClass, a.memberCode, a.nameEn, a.nameFa, a.subsystemCode, a.nameEn);
  for (const c of scenario.consumers) addSubsystem(c.memberClass, c.memberCode, c.nameEn, c.nameFa, c.subsystemCode, c.purpose);

  const checked = new Set<string>();
  const services: ServiceRow[] = [];
  for (const s of scenario.services) {
    const id = `${inst}/${s.id}`;
    const sid = parseServiceId(id, Errors.InvalidInput);
    const text = JSON.stringify(s.service.contract);
    const shape = contractShape(s.service.contract);
    if (!checked.has(shape)) {
      await checkContract(s.service.contract);
      checked.add(shape);
    }
    services.push({
      id, subsystem_id: `${inst}/${sid.memberClass}/${sid.memberCode}/${sid.subsystemCode}`, service_code: sid.serviceCode,
      title: s.service.titleEn, base_url: root + serviceBasePath(s.agency, s.service), timeout_ms: SERVICE_TIMEOUT_MS,
      max_rate_per_second: null, contract: text, created_at: now, updated_at: now,
    });
  }

  if (!isValidPart(scenario.group)) fail(Errors.InvalidInput, `group code ${scenario.group}`);
  const group = `${inst}/${scenario.group}`;
  const wantedRights = [
    ...scenario.rights.map((r) => ({ subject_id: `${inst}/${r.consumer}`, subject_type: 'subsystem' as const, service_id: `${inst}/${r.service}`, legal_basis: r.legalBasis })),
    ...scenario.open.map((o) => ({ subject_id: group, subject_type: 'group' as const, service_id: `${inst}/${o.service}`, legal_basis: o.legalBasis })),
  ];
  const serviceIds = new Set(services.map((s) => s.id));
  for (const r of wantedRights) {
    if (!serviceIds.has(r.service_id)) fail(Errors.InvalidInput, `a right names ${r.service_id}, which the scenario does not offer`);
    if (r.subject_type === 'subsystem' && !subsystems.has(r.subject_id)) fail(Errors.InvalidInput, `a right names ${r.subject_id}, which the scenario does not register`);
  }

  // --- One transaction, then one snapshot.
  let added = 0;
  await registry.db.transaction().execute(async (trx) => {
    if (allowEntry && addressProblem) {
      const note = 'the simulated agencies of the 1399 scenario';
      await trx.insertInto('provider_hosts').values({ host: allowEntry.host, port: allowEntry.port, note, created_at: now }).execute();
      await trx.insertInto('changes').values({ at: now, actor, action: 'provider-host.allow', object_id: addressProblem.entry, detail: JSON.stringify({ note }) }).execute();
    }
    for (const rows of chunks([...members.values()])) await trx.insertInto('members').values(rows).onConflict((oc) => oc.column('id').doNothing()).execute();
    for (const rows of chunks([...subsystems.values()])) await trx.insertInto('subsystems').values(rows).onConflict((oc) => oc.column('id').doNothing()).execute();
    for (const rows of chunks(services)) {
      await trx.insertInto('services').values(rows).onConflict((oc) => oc.column('id').doUpdateSet((eb) => ({
        title: eb.ref('excluded.title'), base_url: eb.ref('excluded.base_url'), timeout_ms: eb.ref('excluded.timeout_ms'),
        contract: eb.ref('excluded.contract'), updated_at: eb.ref('excluded.updated_at'),
      }))).execute();
    }
    await trx.insertInto('groups').values({ id: group, description: 'Every subsystem of the exchange: subjects of rights to open reference data', created_at: now })
      .onConflict((oc) => oc.column('id').doNothing()).execute();
    const groupMembers = [...subsystems.keys()].map((subsystem_id) => ({ group_id: group, subsystem_id }));
    for (const rows of chunks(groupMembers)) {
      await trx.insertInto('group_members').values(rows).onConflict((oc) => oc.columns(['group_id', 'subsystem_id']).doNothing()).execute();
    }
    const existing = new Set((await trx.selectFrom('access_rights').select(['subject_id', 'service_id']).where('method', 'is', null).execute())
      .map((r) => `${r.subject_id} ${r.service_id}`));
    const fresh = wantedRights.filter((r) => !existing.has(`${r.subject_id} ${r.service_id}`))
      .map((r) => ({ ...r, method: null, path: null, valid_from: now, valid_until: null, created_at: now }));
    for (const rows of chunks(fresh)) await trx.insertInto('access_rights').values(rows).execute();
    added = fresh.length;
    await trx.insertInto('changes').values({
      at: now, actor, action: 'scenario.load', object_id: inst,
      detail: JSON.stringify({ agenciesUrl: root, members: members.size, subsystems: subsystems.size, services: services.length, rightsAdded: added }),
    }).execute();
  });
  const snapshot = await registry.publish();
  return {
    providers: new Set(scenario.services.map((s) => s.provider)).size,
    services: services.length,
    consumers: scenario.consumers.length,
    accessRights: wantedRights.length,
    snapshotVersion: snapshot.version,
    allowedProviderHost: addressProblem?.entry ?? null,
  };
}
