// Each node's record key, as the registry holds it: the public half of the key that signs the
// checkpoints of the node's record chains (keys/node-keys.ts), with when it was registered. An
// auditor checks a chain's checkpoints against the key the registry holds for the chain's node
// (`tabadol audit verify --registry-key`) rather than against a key file taken from the node it
// audits. A node registers its key when its control plane starts; a new key is added, never put in
// place of an earlier one, so checkpoints signed before a key change stay checkable.
// Kept as one settings entry per node (`node.record-keys/<node id>`): a list, newest last.
import { createPublicKey } from 'node:crypto';
import type { RegistryDb } from '../store/database.ts';
import { checkNodeId } from './central-node.ts';

export const RECORD_KEYS_SETTING_PREFIX = 'node.record-keys/';

export interface RegisteredRecordKey {
  /** SPKI PEM. */
  publicKey: string;
  /** SHA-256 of the SPKI DER, as checkpoints and kept heads name keys (records/heads.ts). */
  keyId: string;
  registeredAt: string;
}

export function recordKeysSetting(nodeId: string): string {
  return RECORD_KEYS_SETTING_PREFIX + checkNodeId(nodeId);
}

/** Registers `publicKeyPem` as `nodeId`'s record key unless it is already its newest one. */
export async function registerRecordKey(db: RegistryDb, nodeId: string, publicKeyPem: string, keyId: string, at: Date): Promise<RegisteredRecordKey[]> {
  const key = recordKeysSetting(nodeId);
  // Normalised so that the same key is never registered twice for a difference in line endings.
  const pem = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    const keys = row ? JSON.parse(row.value) as RegisteredRecordKey[] : [];
    if (keys.at(-1)?.keyId === keyId) return keys;
    const next = [...keys, { publicKey: pem, keyId, registeredAt: at.toISOString() }];
    await trx.insertInto('settings').values({ key, value: JSON.stringify(next) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(next) })).execute();
    return next;
  });
}

export async function recordKeysOf(db: RegistryDb, nodeId: string): Promise<RegisteredRecordKey[]> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', recordKeysSetting(nodeId)).executeTakeFirst();
  return row ? JSON.parse(row.value) as RegisteredRecordKey[] : [];
}
