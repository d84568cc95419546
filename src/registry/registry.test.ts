// A registry change is one transaction with its change-log entry and its snapshot; a batch is one
// change; the central node is recorded once and a node with another id is refused; a subsystem's
// home node, not the publisher's id, is where the snapshot says its services live.
import { createSecretKey } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ephemeralNodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore, type OpenedStore } from '../store/database.ts';
import { latestSnapshot } from '../snapshot/publish.ts';
import { verifySnapshot } from '../snapshot/signature.ts';
import { isTabadolError } from '../errors/catalogue.ts';
import { Registry, type RegistryOptions } from './registry.ts';
import { RegistryNodes } from './nodes.ts';

const keys = ephemeralNodeKeys();
const CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'Person', version: '1' },
  paths: { '/persons/{id}': { get: {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: { '200': { description: 'ok' } },
  } } },
};

let stores: OpenedStore[] = [];
afterEach(async () => {
  await Promise.all(stores.map((s) => s.close()));
  stores = [];
});

async function store(): Promise<OpenedStore> {
  const s = await openRegistryStore(':memory:');
  stores.push(s);
  return s;
}

function registryOn(s: OpenedStore, o: Partial<RegistryOptions> = {}): Registry {
  return new Registry(s.db, { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date(), ...o });
}

const rejectsWith = (type: string) => (e: unknown) => isTabadolError(e) && e.type === type;

/** Registers provincial nodes in the store, as `tabadol node add` does. */
async function addNodes(s: OpenedStore, ...ids: string[]): Promise<void> {
  const nodes = new RegistryNodes(s.db, { instance: 'IR', nodeId: 'central', role: 'tool', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date() });
  for (const [i, id] of ids.entries()) await nodes.add({ id, role: 'provincial', province: String(i + 1).padStart(2, '0'), url: `https://10.0.${i}.5:5500` });
}

async function counts(s: OpenedStore) {
  const n = async (t: 'members' | 'subsystems' | 'services' | 'changes' | 'snapshots' | 'access_rights') =>
    Number((await s.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return { members: await n('members'), subsystems: await n('subsystems'), services: await n('services'), rights: await n('access_rights'), changes: await n('changes'), snapshots: await n('snapshots') };
}

async function seed(r: Registry): Promise<void> {
  await r.addMember({ memberClass: 'GOV', memberCode: 'NOCR', name: 'Civil registration' });
  await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity' });
  await r.putService({ serviceId: 'IR/GOV/NOCR/identity/person', title: 'Person', baseUrl: 'http://10.0.0.5/nocr', contract: CONTRACT });
}

describe('a registry change', () => {
  it('whose snapshot cannot be published leaves neither the change nor its log entry', async () => {
    const s = await store();
    await seed(registryOn(s));
    const before = await counts(s);
    // A key that cannot sign: the snapshot step fails after the change and its log entry were written.
    const broken = registryOn(s, { signingKey: createSecretKey(Buffer.alloc(32, 1)) });
    await expect(broken.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' })).rejects.toSatisfy(rejectsWith('Admin.SnapshotPublishFailed'));
    await expect(broken.removeService('IR/GOV/NOCR/identity/person')).rejects.toSatisfy(rejectsWith('Admin.SnapshotPublishFailed'));
    expect(await counts(s)).toEqual(before);
    expect((await registryOn(s).listServices()).map((x) => x.id)).toEqual(['IR/GOV/NOCR/identity/person']);
  });

  it('commits with its log entry and exactly one new snapshot that contains it', async () => {
    const s = await store();
    const r = registryOn(s);
    await seed(r);
    const before = await counts(s);
    await r.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' });
    expect(await counts(s)).toEqual({ ...before, members: before.members + 1, changes: before.changes + 1, snapshots: before.snapshots + 1 });
    const doc = verifySnapshot((await latestSnapshot(s.db))!, keys.verifyKey);
    expect(doc.members.map((m) => m.id)).toContain('IR/GOV/POLICE');
  });
});

describe('a batch', () => {
  it('runs every operation\'s own checks and leaves nothing when one of them refuses', async () => {
    const s = await store();
    const r = registryOn(s);
    await seed(r);
    const before = await counts(s);
    await expect(r.batch(async (c) => {
      await c.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' });
      await c.addSubsystem({ subsystemId: 'IR/GOV/POLICE/licensing' });
      // The grant's own check: the service does not exist.
      await c.grant({ subject: 'IR/GOV/POLICE/licensing', serviceId: 'IR/GOV/NOCR/identity/nobody', legalBasis: 'x' });
    })).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    await expect(r.batch(async (c) => {
      await c.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' });
      await c.putService({ serviceId: 'IR/GOV/NOCR/identity/other', title: 'x', baseUrl: 'http://127.0.0.1:9/x', contract: CONTRACT });
    })).rejects.toSatisfy(rejectsWith('Admin.InvalidInput'));
    expect(await counts(s)).toEqual(before);
  });

  it('publishes one snapshot for all its operations, each with its own log entry', async () => {
    const s = await store();
    const r = registryOn(s);
    await seed(r);
    const before = await counts(s);
    const { value, snapshot } = await r.batch(async (c) => {
      await c.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' });
      await c.addSubsystem({ subsystemId: 'IR/GOV/POLICE/licensing' });
      return c.grant({ subject: 'IR/GOV/POLICE/licensing', serviceId: 'IR/GOV/NOCR/identity/person', legalBasis: 'Traffic act' });
    }, 'bulk');
    expect(await counts(s)).toEqual({ ...before, members: before.members + 1, subsystems: before.subsystems + 1, rights: 1, changes: before.changes + 3, snapshots: before.snapshots + 1 });
    const doc = verifySnapshot(snapshot!, keys.verifyKey);
    expect(doc.accessRights).toEqual([expect.objectContaining({ id: value, subjectId: 'IR/GOV/POLICE/licensing' })]);
    expect((await r.listChanges(3)).map((c) => [c.actor, c.action])).toEqual([['bulk', 'access.grant'], ['bulk', 'subsystem.add'], ['bulk', 'member.add']]);
  });

  it('that changes nothing publishes nothing', async () => {
    const s = await store();
    const r = registryOn(s);
    await seed(r);
    const before = await counts(s);
    expect(await r.batch(async (c) => c.exists('members', 'IR/GOV/NOCR'))).toEqual({ value: true, snapshot: undefined });
    expect(await counts(s)).toEqual(before);
  });
});

describe('the central node and home nodes', () => {
  it('are recorded once: a node with another id is refused, a tool acts for the recorded one', async () => {
    const s = await store();
    await seed(registryOn(s, { nodeId: 'tehran' }));
    const before = await counts(s);
    const other = registryOn(s, { nodeId: 'other' });
    await expect(other.centralNode()).rejects.toSatisfy((e: unknown) => rejectsWith('Admin.NodeIdMismatch')(e) && /--node-id tehran/.test((e as Error).message));
    await expect(other.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' })).rejects.toSatisfy(rejectsWith('Admin.NodeIdMismatch'));
    await expect(other.publish()).rejects.toSatisfy(rejectsWith('Admin.NodeIdMismatch'));
    await expect(other.recordNodePorts([4001])).rejects.toSatisfy(rejectsWith('Admin.NodeIdMismatch'));
    expect(await counts(s)).toEqual(before);

    // The CLI opens the registry as a tool with its default id: it publishes for the recorded node.
    const tool = registryOn(s, { nodeId: 'central', role: 'tool' });
    expect(await tool.centralNode()).toBe('tehran');
    await tool.addMember({ memberClass: 'GOV', memberCode: 'POLICE', name: 'Police' });
    const doc = verifySnapshot((await latestSnapshot(s.db))!, keys.verifyKey);
    expect(doc.publisher).toBe('tehran');
    expect(doc.services.map((x) => x.node)).toEqual(['tehran']);
  });

  it('put a service where its subsystem\'s home node is, whoever publishes', async () => {
    const s = await store();
    const r = registryOn(s);
    await seed(r);
    await expect(r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/east', homeNode: 'east-1' })).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    await addNodes(s, 'east-1');
    await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/east', homeNode: 'east-1' });
    await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/central', homeNode: 'central' });
    await r.putService({ serviceId: 'IR/GOV/NOCR/east/person', title: 'Person', baseUrl: 'http://10.0.0.6/nocr', contract: CONTRACT });
    const doc = verifySnapshot((await latestSnapshot(s.db))!, keys.verifyKey);
    expect(Object.fromEntries(doc.services.map((x) => [x.id, x.node]))).toEqual({ 'IR/GOV/NOCR/east/person': 'east-1', 'IR/GOV/NOCR/identity/person': 'central' });
    expect(Object.fromEntries(doc.subsystems.map((x) => [x.id, x.node]))).toMatchObject({ 'IR/GOV/NOCR/east': 'east-1', 'IR/GOV/NOCR/central': 'central' });
    // Naming the central node explicitly is the same as naming none.
    expect((await r.listSubsystems()).find((x) => x.id === 'IR/GOV/NOCR/central')?.home_node).toBeNull();
    for (const homeNode of ['', 'a/b', 'x..y', 'نود']) {
      await expect(r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/bad', homeNode })).rejects.toSatisfy(rejectsWith('Admin.InvalidInput'));
    }
  });

  it('lists the nodes serving a subsystem, home first, and keeps each registered node while it serves one', async () => {
    const s = await store();
    const r = registryOn(s);
    await seed(r);
    await addNodes(s, 'p23', 'p07');
    const identity = 'IR/GOV/NOCR/identity';
    expect(await r.setSubsystemNodes(identity, ['p23', 'p07', 'central'])).toEqual({ homeNode: 'p23', standbyNodes: ['p07', 'central'] });
    const doc = verifySnapshot((await latestSnapshot(s.db))!, keys.verifyKey);
    expect(doc.services.find((x) => x.id === 'IR/GOV/NOCR/identity/person')).toMatchObject({ node: 'p23', standbyNodes: ['p07', 'central'] });
    expect(doc.subsystems.find((x) => x.id === identity)).toMatchObject({ node: 'p23', standbyNodes: ['p07', 'central'] });
    // Refusals change nothing: an unregistered node, a node twice, no node, too many.
    const version = doc.version;
    for (const [nodes, type] of [[['p23', 'p99'], 'Admin.NotFound'], [['p23', 'p23'], 'Admin.InvalidInput'], [[], 'Admin.InvalidInput'],
      [Array.from({ length: 9 }, () => 'p23'), 'Admin.InvalidInput'], [['a/b'], 'Admin.InvalidInput']] as const) {
      await expect(r.setSubsystemNodes(identity, nodes)).rejects.toSatisfy(rejectsWith(type));
    }
    await expect(r.setSubsystemNodes('IR/GOV/NOBODY/x', ['p23'])).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    expect((await latestSnapshot(s.db))!.version).toBe(version);
    // A standby node cannot be removed while it serves: the services would lose a node silently.
    const nodes = new RegistryNodes(s.db, { instance: 'IR', nodeId: 'central', role: 'tool', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date() });
    await expect(nodes.remove('p07')).rejects.toSatisfy(rejectsWith('Admin.Conflict'));
    // Back to the central node alone: a snapshot without standbys has no field for them.
    expect(await r.setSubsystemNodes(identity, ['central'])).toEqual({ homeNode: 'central', standbyNodes: [] });
    const after = verifySnapshot((await latestSnapshot(s.db))!, keys.verifyKey);
    expect(after.services.find((x) => x.id === 'IR/GOV/NOCR/identity/person')).not.toHaveProperty('standbyNodes');
    expect((await r.listSubsystems()).find((x) => x.id === identity)).toMatchObject({ home_node: null, standby_nodes: null });
    await nodes.remove('p07');
  });
});
