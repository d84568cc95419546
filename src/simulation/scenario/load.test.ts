import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateNodeKeys } from '../../keys/node-keys.ts';
import { Registry } from '../../registry/registry.ts';
import { latestSnapshot } from '../../snapshot/publish.ts';
import { verifySnapshot } from '../../snapshot/signature.ts';
import { openRegistryStore, type OpenedStore } from '../../store/database.ts';
import { isTabadolError } from '../../errors/catalogue.ts';
import { loadScenario } from './load.ts';
import { buildScenario } from './scenario.ts';

const scenario = buildScenario();
let dir = '';
let store: OpenedStore;
let registry: Registry;
let verifyKey: Awaited<ReturnType<typeof loadOrCreateNodeKeys>>['verifyKey'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-scenario-load-'));
  const keys = await loadOrCreateNodeKeys(dir);
  verifyKey = keys.verifyKey;
  store = await openRegistryStore(':memory:');
  registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date() });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

describe('loading the scenario into a registry', () => {
  // The registry holds the report's 961 services plus the exchange operator's own data tracker
  // (IR/GOV/TABADOL/tracker/findUsage), which serves citizens, not agencies' inquiries.
  it('writes 56 providers, 961 services, the consumers, the rights and the open provinces in one snapshot', async () => {
    const summary = await loadScenario(registry, scenario, 'http://127.0.0.1:9090/');
    expect(summary).toMatchObject({ providers: 56, services: 961, consumers: 8, snapshotVersion: 1 });
    const services = await registry.listServices();
    expect(services).toHaveLength(961 + 1);
    expect(services.find((s) => s.id === 'IR/GOV/NOCR/identity/person')?.base_url).toBe('http://127.0.0.1:9090/NOCR/identity/person');
    const rights = await registry.listAccessRights();
    expect(rights).toHaveLength(summary.accessRights + 2); // the tracker's: the citizen portal and the inspection organisation
    expect(rights.find((r) => r.subject_id === 'IR/all-subsystems')).toMatchObject({ service_id: 'IR/GOV/SCI/divisions/provinces', subject_type: 'group' });
    expect(rights.some((r) => r.subject_id === 'IR/GOV/POLICE/licensing' && r.service_id.startsWith('IR/GOV/POST/'))).toBe(false);
    const [group] = await registry.listGroups();
    expect(group?.members).toHaveLength((await registry.listSubsystems()).length);

    const doc = verifySnapshot((await latestSnapshot(store.db))!, verifyKey);
    expect(doc.services).toHaveLength(961 + 1);
    expect(doc.members.map((m) => m.memberCode)).toEqual(expect.arrayContaining(['JUDICIARY', 'POLICE', 'SAMAN', 'SCI']));
  });

  it('is idempotent, and points the services at a new agencies URL', async () => {
    const before = (await registry.listAccessRights()).length;
    const summary = await loadScenario(registry, scenario, 'http://127.0.0.1:9191');
    expect(summary.snapshotVersion).toBe(2);
    expect(await registry.listAccessRights()).toHaveLength(before);
    expect(await registry.listServices()).toHaveLength(961 + 1);
    expect((await registry.getService('IR/GOV/CRA/shahkar/shahkar')).base_url).toBe('http://127.0.0.1:9191/CRA/shahkar/shahkar');
  });

  it('goes through the registry\'s operations: one change-log entry each, all in one snapshot', async () => {
    const changes = await store.db.selectFrom('changes').select(['action']).execute();
    const count = (action: string) => changes.filter((c) => c.action === action).length;
    expect(count('member.add')).toBe((await registry.listMembers()).length);
    expect(count('subsystem.add')).toBe((await registry.listSubsystems()).length);
    expect(count('service.add')).toBe(961 + 1);
    expect(count('service.update')).toBe(961);
    expect(count('access.grant')).toBe((await registry.listAccessRights()).length);
    expect(count('provider-host.allow')).toBe(2); // one per agencies address
    expect(count('scenario.load')).toBe(2);
  });

  it('is refused as a whole by an operation\'s own check, writing nothing', async () => {
    const fresh = await openRegistryStore(':memory:');
    try {
      const other = new Registry(fresh.db, { instance: 'IR', nodeId: 'central', signingKey: (await loadOrCreateNodeKeys(dir)).signingKey, validityMs: 3600_000, now: () => new Date() });
      // A name the registry refuses (a bidi override hides what it says): the member operation's check.
      const spoofed = { ...scenario.consumers[0]!, memberCode: 'SPOOF', nameEn: 'Police\u202Eecilop' };
      await expect(loadScenario(other, { ...scenario, consumers: [...scenario.consumers, spoofed] }, 'http://127.0.0.1:9090'))
        .rejects.toSatisfy((e: unknown) => isTabadolError(e) && e.type === 'Admin.InvalidInput');
      for (const table of ['members', 'services', 'access_rights', 'provider_hosts', 'changes', 'snapshots'] as const) {
        expect(await fresh.db.selectFrom(table).selectAll().execute(), table).toEqual([]);
      }
    } finally {
      await fresh.close();
    }
  });

  it('refuses an agencies URL that is not http(s)', async () => {
    await expect(loadScenario(registry, scenario, 'ftp://x')).rejects.toSatisfy((e: unknown) => isTabadolError(e) && e.type === 'Admin.InvalidInput');
    await expect(loadScenario(registry, scenario, 'not a url')).rejects.toSatisfy((e: unknown) => isTabadolError(e) && e.type === 'Admin.InvalidInput');
  });
});
