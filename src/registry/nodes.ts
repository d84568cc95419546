// The exchange's nodes as registry data: the central node and one node per province, each with the
// address of its node-to-node port and the public half of its record key. The snapshot carries the
// list (publish.ts: `nodes`), so every node knows where every other one listens; the centre checks a
// province's witnessed chain heads against the record key registered here (mirrored into the
// record-keys setting, node-record-keys.ts, which the witness store reads). Each change is one
// transaction with its change-log entry and the snapshot it causes, as every registry change is.
import { createPublicKey, createHash, type KeyObject } from 'node:crypto';
import type { Registry } from './registry.ts';
import type { RegistryDb } from '../store/database.ts';
import type { NodeTable } from '../store/schema.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { publishSnapshotIn, type PublishOptions } from '../snapshot/publish.ts';
import { provinceByCode } from '../divisions/provinces.ts';
import { claimCentralNode, checkNodeId, type RegistryRole } from './central-node.ts';
import { ContractVerdicts } from './contract-verdicts.ts';
import { RegistryChange } from './operations.ts';
import { recordKeysSetting, type RegisteredRecordKey } from './node-record-keys.ts';

export const NODE_ROLES = ['central', 'provincial'] as const;
export type NodeRole = typeof NODE_ROLES[number];

export interface NodeInput {
  id: string;
  role: string;
  /** Two-digit province code; required for a provincial node, refused for the centre. */
  province?: string | undefined;
  /** https://host:port of its node-to-node port. */
  url: string;
  /** The public half of its record key, PEM (SPKI); a province's heads are checked with it. */
  recordKey?: string | undefined;
}

export interface RegisteredNode {
  id: string;
  role: NodeRole;
  province: string | null;
  url: string;
  /** SHA-256 of the record key's SPKI DER (records/heads.ts's key id), or null. */
  recordKeyId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface RegistryNodesOptions extends PublishOptions {
  role: RegistryRole;
}

/** A node port's address: https://host:port, without path, query or credentials (mutual TLS only). */
export function checkNodeUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(Errors.InvalidInput, `url must be https://host:port of a node-to-node port, not ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail(Errors.InvalidInput, 'url must be https://host:port of a node-to-node port, without path, query or credentials');
  }
  return url.origin;
}

function recordKeyOf(pem: string): { pem: string; keyId: string } {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    return fail(Errors.InvalidInput, 'recordKey must be a public key in PEM (the node\'s keys/node-signing.pub.pem)');
  }
  if (key.asymmetricKeyType !== 'ed25519') fail(Errors.InvalidInput, 'recordKey must be an Ed25519 public key (the node\'s keys/node-signing.pub.pem)');
  return {
    pem: key.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: 'sha256:' + createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex'),
  };
}

function toNode(r: NodeTable): RegisteredNode {
  return {
    id: r.id, role: r.role, province: r.province, url: r.url,
    recordKeyId: r.record_key === null ? null : recordKeyOf(r.record_key).keyId,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}

export class RegistryNodes {
  constructor(readonly db: RegistryDb, private readonly o: RegistryNodesOptions) {}

  list(): Promise<RegisteredNode[]> {
    return this.db.selectFrom('nodes').selectAll().orderBy('id').execute().then((rows) => rows.map(toNode));
  }

  add(input: NodeInput, actor = 'admin'): Promise<RegisteredNode> {
    return this.change(actor, async (trx, change, centralNode) => {
      const id = checkNodeId(String(input.id ?? ''));
      if (!(NODE_ROLES as readonly string[]).includes(input.role)) fail(Errors.InvalidInput, 'role must be central or provincial');
      const role = input.role as NodeRole;
      if (role === 'central' && id !== centralNode) fail(Errors.InvalidInput, `the registry's central node is ${centralNode}: a node with role central must be it`);
      if (role === 'provincial' && id === centralNode) fail(Errors.InvalidInput, `${id} is the registry's central node, not a provincial one`);
      let province: string | null = null;
      if (role === 'provincial') {
        if (input.province === undefined) fail(Errors.InvalidInput, 'a provincial node needs its province, a code from 00 to 30');
        province = provinceByCode(String(input.province))?.code ?? fail(Errors.InvalidInput, 'province must be a province code from 00 to 30');
      } else if (input.province !== undefined) {
        fail(Errors.InvalidInput, 'the central node has no province');
      }
      const url = checkNodeUrl(String(input.url ?? ''));
      const key = input.recordKey === undefined ? null : recordKeyOf(input.recordKey);
      const same = await trx.selectFrom('nodes').select('id').where((eb) => eb(eb.fn<string>('lower', ['id']), '=', id.toLowerCase())).executeTakeFirst();
      if (same) fail(Errors.AlreadyExists, `node ${same.id}`);
      if (province !== null) {
        const holder = await trx.selectFrom('nodes').select('id').where('province', '=', province).executeTakeFirst();
        // One node per province: the province's agencies connect to it, and statistics name it.
        if (holder) fail(Errors.Conflict, `province ${province} already has its node, ${holder.id}`);
      }
      const at = change.nowText();
      await trx.insertInto('nodes').values({ id, role, province, url, record_key: key?.pem ?? null, created_at: at, updated_at: at }).execute();
      if (key) await mirrorRecordKey(trx, id, key, at);
      await change.log('node.add', id, { role, province, url, recordKeyId: key?.keyId ?? null });
      return toNode((await trx.selectFrom('nodes').selectAll().where('id', '=', id).executeTakeFirstOrThrow()));
    });
  }

  /** Refused while subsystems are served by the node (home or standby): their services would point nowhere. */
  remove(idText: string, actor = 'admin'): Promise<{ id: string }> {
    return this.change(actor, async (trx, change) => {
      const id = checkNodeId(idText);
      const row = await trx.selectFrom('nodes').select('id').where('id', '=', id).executeTakeFirst();
      if (!row) fail(Errors.NotFound, `node ${id}`);
      const homed = (await trx.selectFrom('subsystems').select(['id', 'home_node', 'standby_nodes'])
        .where((eb) => eb.or([eb('home_node', '=', id), eb('standby_nodes', 'is not', null)])).orderBy('id').execute())
        .filter((s) => s.home_node === id || (s.standby_nodes ?? '').split(',').includes(id)).slice(0, 5);
      if (homed.length > 0) fail(Errors.Conflict, `subsystems are served by node ${id} (${homed.map((h) => h.id).join(', ')}${homed.length === 5 ? ', …' : ''}): move or remove them first`);
      await trx.deleteFrom('nodes').where('id', '=', id).execute();
      // Its record keys stay in the record-keys setting: its past checkpoints remain checkable.
      await change.log('node.remove', id, {});
      return { id };
    });
  }

  private change<T>(actor: string, fn: (trx: RegistryDb, change: NodeChange, centralNode: string) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      // First statement: takes the write lock, as Registry.batch does.
      const centralNode = await claimCentralNode(trx, this.o.nodeId, this.o.role);
      const now = () => this.o.now().toISOString();
      const inner = new RegistryChange({ trx, instance: this.o.instance, centralNode, actor, now, verdicts: new ContractVerdicts() });
      const change: NodeChange = { log: (a, id, d) => inner.log(a, id, d), nowText: now };
      const value = await fn(trx, change, centralNode);
      if (inner.entries > 0) await publishSnapshotIn(trx, { ...this.o, centralNode });
      return value;
    });
  }
}

interface NodeChange {
  log(action: string, objectId: string, detail: unknown): Promise<void>;
  nowText(): string;
}

/** The record key goes to the record-keys setting too, where the witness store and `audit verify
 * --registry-key` look; added, never put in place of an earlier key (node-record-keys.ts). */
async function mirrorRecordKey(trx: RegistryDb, nodeId: string, key: { pem: string; keyId: string }, at: string): Promise<void> {
  const setting = recordKeysSetting(nodeId);
  const row = await trx.selectFrom('settings').select('value').where('key', '=', setting).executeTakeFirst();
  const keys = row ? JSON.parse(row.value) as RegisteredRecordKey[] : [];
  if (keys.at(-1)?.keyId === key.keyId) return;
  const value = JSON.stringify([...keys, { publicKey: key.pem, keyId: key.keyId, registeredAt: at }]);
  await trx.insertInto('settings').values({ key: setting, value }).onConflict((oc) => oc.column('key').doUpdateSet({ value })).execute();
}

/** The nodes' operations of a running registry, bound by the control plane that built both (it alone
 * holds the snapshot key they publish with); the admin API finds them through its registry. */
const bound = new WeakMap<Registry, RegistryNodes>();

export function bindRegistryNodes(registry: Registry, nodes: RegistryNodes): void {
  bound.set(registry, nodes);
}

export function registryNodesOf(registry: Registry): RegistryNodes {
  return bound.get(registry) ?? fail(Errors.NodeStartFailed, 'the registry\'s node operations were not set up by its control plane');
}

