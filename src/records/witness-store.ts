// What the central node witnessed of other nodes' record chains (DESIGN section 5): the newest
// signed head of every chain a node sent, checked against the record key the registry holds for
// that node, plus a thinned history. A node that removes its newest records (with the checkpoints
// that covered them) cannot take back the heads it sent: `tabadol audit witnessed --node N` prints
// them for `tabadol audit verify --head` on N's records.
//
// Kept in the registry store rather than the centre's records.db: the record keys heads are checked
// against live there, the admin API and `tabadol audit` already read it, and it is the store the
// operators back up (and run on PostgreSQL in production); records.db holds this node's own
// evidence, written by its record writers under latency, which a foreign node's writes should not
// contend with. The tables are the registry store's (migration 0009_witnessed_heads).
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { RegistryDb } from '../store/database.ts';
import type { WitnessedHeadTable } from '../store/schema.ts';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { recordKeysOf } from '../registry/node-record-keys.ts';
import { HEADS_FORMAT, headSignatureValid, type HeadsFile, type SignedHead } from './heads.ts';

/** One history row per chain per hour at most: a node sending every minute for a year leaves
 * thousands of rows per chain, not half a million. */
export const HISTORY_SPACING_MS = 3600_000;

export interface WitnessOutcome {
  /** Heads newer than the ones kept: now the newest of their chains. */
  accepted: number;
  /** Heads identical to the ones kept. */
  unchanged: number;
}

export class WitnessStore {
  constructor(private readonly db: RegistryDb, private readonly now: () => number = Date.now) {}

  /**
   * Takes the heads `nodeId` sent, all or none: each must name a chain of that node
   * (`<nodeId>/…`), verify with a record key the registry holds for it, and not go back on (or
   * differ from) the head of its chain kept already. The first fault refuses the whole set.
   */
  async accept(nodeId: string, heads: readonly SignedHead[]): Promise<WitnessOutcome> {
    const keys = new Map((await recordKeysOf(this.db, nodeId)).map((k) => [k.keyId, k]));
    const parsed = new Map<string, KeyObject>();
    const keyOf = (keyId: string): { key: KeyObject; pem: string } | undefined => {
      const registered = keys.get(keyId);
      if (!registered) return undefined;
      let key = parsed.get(keyId);
      if (!key) parsed.set(keyId, (key = createPublicKey(registered.publicKey)));
      return { key, pem: registered.publicKey };
    };
    const seen = new Set<string>();
    const checked: (SignedHead & { publicKey: string })[] = [];
    for (const h of heads) {
      if (!h.chainId.startsWith(`${nodeId}/`) || h.chainId.length === nodeId.length + 1) {
        throw new TabadolError(Errors.NodeHeadRefused, `node ${nodeId} sent a head of chain ${h.chainId}, which is not one of its chains`);
      }
      if (seen.has(h.chainId)) throw new TabadolError(Errors.InvalidInput, `chain ${h.chainId} appears twice`);
      seen.add(h.chainId);
      const k = keyOf(h.keyId);
      if (!k) {
        throw new TabadolError(Errors.NodeHeadRefused, keys.size === 0
          ? `the registry holds no record key for node ${nodeId}`
          : `the head of chain ${h.chainId} names key ${h.keyId}, which the registry does not hold for node ${nodeId}`);
      }
      // Verified with the registered key, never with the key the head carries.
      if (!headSignatureValid(h, k.key)) throw new TabadolError(Errors.NodeHeadRefused, `the head of chain ${h.chainId} at record ${h.seq} does not verify with node ${nodeId}'s registered record key`);
      checked.push({ ...h, publicKey: k.pem });
    }

    const receivedAt = new Date(this.now()).toISOString();
    return this.db.transaction().execute(async (trx) => {
      const outcome: WitnessOutcome = { accepted: 0, unchanged: 0 };
      for (const h of checked) {
        const kept = await trx.selectFrom('witnessed_heads').selectAll().where('chain_id', '=', h.chainId).executeTakeFirst();
        if (kept && h.seq < kept.seq) {
          throw new TabadolError(Errors.NodeHeadBehind, `node ${nodeId} sent the head of chain ${h.chainId} at record ${h.seq}, but the head at record ${kept.seq} (signed ${kept.at}) was witnessed already`);
        }
        if (kept && h.seq === kept.seq) {
          if (h.recordHash !== kept.record_hash || h.at !== kept.at || h.signature !== kept.signature) {
            throw new TabadolError(Errors.NodeHeadBehind, `node ${nodeId} sent a head of chain ${h.chainId} at record ${h.seq} that differs from the one witnessed (signed ${kept.at})`);
          }
          outcome.unchanged++;
          continue;
        }
        const row: WitnessedHeadTable = {
          chain_id: h.chainId, node_id: nodeId, seq: h.seq, record_hash: h.recordHash, at: h.at, signature: h.signature,
          public_key: h.publicKey, key_id: h.keyId, received_at: receivedAt,
        };
        if (kept) {
          // The head replaced goes to the history unless the history has one of its hour already.
          const last = await trx.selectFrom('witnessed_head_history').select('received_at').where('chain_id', '=', h.chainId)
            .orderBy('seq', 'desc').limit(1).executeTakeFirst();
          if (!last || Date.parse(kept.received_at) - Date.parse(last.received_at) >= HISTORY_SPACING_MS) {
            await trx.insertInto('witnessed_head_history').values(kept).onConflict((oc) => oc.doNothing()).execute();
          }
          await trx.updateTable('witnessed_heads').set(row).where('chain_id', '=', h.chainId).execute();
        } else {
          await trx.insertInto('witnessed_heads').values(row).execute();
        }
        outcome.accepted++;
      }
      return outcome;
    });
  }

  /** The newest witnessed head of each of `nodeId`'s chains, as `tabadol audit head` prints heads. */
  async newest(nodeId: string): Promise<HeadsFile> {
    const rows = await this.db.selectFrom('witnessed_heads').selectAll().where('node_id', '=', nodeId).orderBy('chain_id').execute();
    return headsFileOf(rows);
  }
}

export function headsFileOf(rows: readonly WitnessedHeadTable[]): HeadsFile {
  return {
    format: HEADS_FORMAT,
    heads: rows.map((r) => ({ chainId: r.chain_id, seq: r.seq, recordHash: r.record_hash, at: r.at, signature: r.signature, publicKey: r.public_key, keyId: r.key_id })),
  };
}
