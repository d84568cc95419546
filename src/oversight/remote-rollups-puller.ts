// The central node's pulls of its provinces' rollups: every interval, for each node it knows, the day
// and month rows changed since the cursor it kept (`GET /node/v1/rollups`, rollup-changes.ts), page
// after page, each page stored with the cursor after it (remote-rollups.ts). Nodes are pulled one
// after another: 31 provinces a minute is little work, and one slow province delays, not blocks.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { NodeClient } from '../node/node-client.ts';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { PULLED_GRAINS, type PulledGrain } from './rollup-tables.ts';
import { checkPage, RemoteRollups } from './remote-rollups.ts';

export interface ProvinceNode { nodeId: string; url: string }

export interface RollupPullerOptions {
  recordsDb: Database.Database;
  client: NodeClient;
  /** The nodes to pull from; a function, so a registry-driven list can replace a fixed one. */
  nodes: () => readonly ProvinceNode[];
  intervalMs: number;
  log: Logger;
  now?: () => number;
}

export interface RollupPuller {
  /** Pulls every node now; resolves when done (failures are logged per node). */
  pull(): Promise<void>;
  stop(): Promise<void>;
}

/** Pages one node may hand in one pull: 100 × 2000 rows; the rest comes at the next interval. */
const MAX_PAGES = 100;

export function startRollupPuller(o: RollupPullerOptions): RollupPuller {
  const store = new RemoteRollups(o.recordsDb);
  const now = o.now ?? Date.now;
  let running: Promise<void> | undefined;
  let stopped = false;

  const pullGrain = async (node: ProvinceNode, grain: PulledGrain) => {
    for (let page = 0; page < MAX_PAGES && !stopped; page++) {
      const since = store.cursor(node.nodeId, grain);
      const res = await o.client.request(node.nodeId, node.url, `/node/v1/rollups?grain=${grain}&since=${encodeURIComponent(since)}`, { signal: AbortSignal.timeout(30_000) });
      const body = await res.body.json().catch(() => undefined) as { type?: string; message?: string } | undefined;
      if (res.statusCode !== 200) throw new TabadolError(Errors.NetworkError, `node ${node.nodeId} answered ${res.statusCode} ${body?.type ?? ''}: ${body?.message ?? ''}`);
      const checked = checkPage(body, node.nodeId, grain);
      store.store(node.nodeId, checked, new Date(now()));
      if (!checked.more) return;
    }
  };

  const pullOnce = async () => {
    for (const node of o.nodes()) {
      if (stopped) return;
      try {
        for (const grain of PULLED_GRAINS) await pullGrain(node, grain);
      } catch (e) {
        const err = e instanceof TabadolError ? e : new TabadolError(Errors.NetworkError, 'pulling rollups failed', { cause: e });
        o.log.warn({ node: node.nodeId, type: err.type, reason: err.message }, 'could not pull the rollups of a node; trying again at the next interval');
      }
    }
  };
  // One pull at a time; a pull asked for while one runs starts after it (it sees the newest rows).
  const pull = async (): Promise<void> => {
    while (running) await running;
    running = pullOnce().finally(() => { running = undefined; });
    return running;
  };

  const timer = setInterval(() => { if (!stopped && !running) void pull(); }, o.intervalMs);
  timer.unref();
  void pull();
  return {
    pull,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
