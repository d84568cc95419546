// A node's side of the witnessed heads (DESIGN section 5): every interval, and once more at shutdown
// after the record writers signed their last checkpoints, the newest signed head of every chain in
// this node's records.db goes to its central node's node port (`POST /node/v1/heads`, format
// tabadol-heads/1). The centre checks them against the registry and keeps them (witness-store.ts).
import Database from 'better-sqlite3';
import type { Logger } from 'pino';
import { createPublicKey } from 'node:crypto';
import { HEADS_FORMAT, keyIdOf, type HeadsFile, type SignedHead } from './heads.ts';
import type { NodeClient } from '../node/node-client.ts';
import { Errors, TabadolError } from '../errors/catalogue.ts';

/** The newest checkpoint of every chain, as `readSignedHeads` gives them, in chains × log(checkpoints)
 * index lookups rather than a pass over every checkpoint: a year of checkpoints is millions of rows. */
export function readNewestHeads(db: Database.Database): SignedHead[] {
  const nextChain = db.prepare('select chain_id from checkpoints where chain_id > ? order by chain_id limit 1').pluck();
  const newest = db.prepare('select seq, head_hash, at, signature, public_key from checkpoints where chain_id = ? order by seq desc limit 1');
  const heads: SignedHead[] = [];
  const keyIds = new Map<string, string>();
  for (let chain = nextChain.get('') as string | undefined; chain !== undefined; chain = nextChain.get(chain) as string | undefined) {
    const r = newest.get(chain) as { seq: number; head_hash: string; at: string; signature: string; public_key: string };
    let keyId = keyIds.get(r.public_key);
    if (keyId === undefined) keyIds.set(r.public_key, (keyId = keyIdOf(createPublicKey(r.public_key))));
    heads.push({ chainId: chain, seq: r.seq, recordHash: r.head_hash, at: r.at, signature: r.signature, publicKey: r.public_key, keyId });
  }
  return heads;
}

export interface CentralNode { nodeId: string; url: string }

export interface WitnessSenderOptions {
  recordsFile: string;
  central: CentralNode;
  client: NodeClient;
  intervalMs: number;
  log: Logger;
}

export interface WitnessSender {
  /** Sends the newest heads now; resolves when the centre answered (a refusal is logged, not thrown). */
  send(): Promise<boolean>;
  /** Stops the timer and sends one last time (the caller closes the record writers first). */
  stop(): Promise<void>;
}

export function startWitnessSender(o: WitnessSenderOptions): WitnessSender {
  let db: Database.Database | undefined;
  let running: Promise<boolean> | undefined;
  let stopped = false;

  const sendOnce = async (): Promise<boolean> => {
    try {
      // The store exists once a data plane ran; read-only, beside the writers (WAL).
      db ??= new Database(o.recordsFile, { readonly: true, fileMustExist: true });
      const heads = readNewestHeads(db);
      if (heads.length === 0) return true;
      const body: HeadsFile = { format: HEADS_FORMAT, heads };
      const res = await o.client.request(o.central.nodeId, o.central.url, '/node/v1/heads', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(10_000),
      });
      const answer = await res.body.json().catch(() => ({})) as { type?: string; message?: string };
      if (res.statusCode !== 200) {
        // A refusal says records were removed, a key is not registered, or this node is misconfigured.
        o.log.error({ central: o.central.nodeId, status: res.statusCode, type: answer.type, reason: answer.message }, 'the central node refused this node\'s chain heads');
        return false;
      }
      return true;
    } catch (e) {
      const err = e instanceof TabadolError ? e : new TabadolError(Errors.NetworkError, 'sending chain heads failed', { cause: e });
      o.log.warn({ central: o.central.nodeId, type: err.type, reason: err.message }, 'could not send chain heads to the central node; trying again at the next interval');
      return false;
    }
  };
  // One send at a time, so a slow centre does not pile up requests; a send asked for while one runs
  // starts after it (it reads the newest heads).
  const send = async (): Promise<boolean> => {
    while (running) await running;
    running = sendOnce().finally(() => { running = undefined; });
    return running;
  };

  const timer = setInterval(() => { if (!stopped && !running) void send(); }, o.intervalMs);
  timer.unref();
  void send();
  return {
    send,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      await send();
      db?.close();
      db = undefined;
    },
  };
}
