// What the nodes page shows, read from what the central node keeps already, never by asking the
// nodes: the registered nodes (registry), the subsystems each serves as home node or standby, the
// newest chain heads each node sent to be witnessed (witness-store.ts, registry store), the last pull
// of its rollups (the cursors remote-rollups.ts keeps beside them in records.db) and the exchanges it
// recorded in a period (GET /v1/stats?by=node's query, so the two give the same numbers). Every read
// is a small indexed one (a row per node, per chain or per cursor) besides the statistics, which are
// the month's day rows: nothing here holds the event loop for long, whatever the country's size.
//
// The states an operator must act on are found here, as data; the page says them in sentences.
import type { JalaliDate } from '../../../dates/jalali.ts';
import { provinceByCode } from '../../../divisions/provinces.ts';
import { defaultConfig } from '../../../node/config.ts';
import type { RollupReader } from '../../../oversight/rollup-reader.ts';
import type { StatsLine } from '../../../oversight/stats.ts';
import { readCentralNode } from '../../../registry/central-node.ts';
import { registryNodesOf, type NodeRole } from '../../../registry/nodes.ts';
import type { Registry } from '../../../registry/registry.ts';

/** A node's heads are overdue after three of the default witness intervals (60 s): one send lost is
 * not yet a problem, three in a row are. A node with its own --witness-interval is judged the same. */
export const WITNESS_OVERDUE_MS = 3 * defaultConfig({ dataDir: '.' }).witnessIntervalMs;
/** Pulls missed in a row before the centre is said not to reach a node. */
export const PULLS_OVERDUE = 3;

export interface NodeSources {
  registry: Registry;
  /** The rollups, and the cursors of the rollups this node pulls from others (a read each, off the event loop on a node). */
  stats: Pick<RollupReader, 'query' | 'lastPulls'>;
  /** How often this node pulls other nodes' rollups, when it does. */
  rollupPulls?: { intervalMs: number } | undefined;
  now: () => number;
}

export interface NodeHeads {
  /** Chains with a witnessed head (one per worker and one for routed exchanges). */
  chains: number;
  /** When the newest head reached the centre, and when its node signed it (ISO 8601). */
  receivedAt: string;
  signedAt: string;
  /** now − receivedAt, ms. */
  ageMs: number;
}

export interface NodeView {
  id: string;
  role: NodeRole;
  /** false: the central node when the registry lists no node row for it, or a node met only in the statistics. */
  registered: boolean;
  province: { code: string; nameFa: string; nameEn: string } | null;
  url: string | null;
  recordKeyId: string | null;
  /** null: no head witnessed (always null for the centre, whose records are its own). */
  heads: NodeHeads | null;
  /** The last pull of its rollups; null: never pulled; undefined: the portal cannot see the pulls. */
  pull: { at: string; lagMs: number } | null | undefined;
  /** Subsystems it is the home node of, and the ones it stands by for. */
  home: string[];
  standby: string[];
  /** Of `home`, those with no standby: they stop when this node stops. */
  alone: string[];
  /** Its line of the period's statistics by node (zeros when it recorded nothing). */
  line: StatsLine;
}

export type Concern =
  | { kind: 'no-heads'; node: string }
  | { kind: 'old-heads'; node: string; ageMs: number }
  | { kind: 'never-pulled'; node: string; url: string }
  | { kind: 'not-reached'; node: string; url: string; lagMs: number }
  | { kind: 'no-standby'; node: string; subsystems: string[] };

export interface NodesData {
  centralNode: string | null;
  from: string;
  to: string;
  total: StatsLine;
  nodes: NodeView[];
  concerns: Concern[];
  /** The pulls are visible to this portal. */
  pullsKnown: boolean;
  pullIntervalMs: number | null;
}

async function witnessed(registry: Registry): Promise<Map<string, { chains: number; receivedAt: string; signedAt: string }>> {
  const rows = await registry.db.selectFrom('witnessed_heads')
    .select((eb) => ['node_id', eb.fn.countAll<number>().as('chains'), eb.fn.max('received_at').as('received'), eb.fn.max('at').as('signed')])
    .groupBy('node_id').execute();
  return new Map(rows.map((r) => [r.node_id, { chains: Number(r.chains), receivedAt: r.received, signedAt: r.signed }]));
}

const zero = (key: string): StatsLine => ({
  key, count: 0, share: 0, answered: 0, refused: 0, providerFailed: 0, exchangeFailed: 0,
  successRate: null, errorRate: null, p50Ms: null, p95Ms: null, p99Ms: null, meanProviderMs: null,
});

export async function nodesData(src: NodeSources, period: { from: JalaliDate; to: JalaliDate }): Promise<NodesData> {
  const now = src.now();
  const [centralNode, registered, subsystems, heads] = await Promise.all([
    readCentralNode(src.registry.db), registryNodesOf(src.registry).list(), src.registry.listSubsystems(), witnessed(src.registry),
  ]);
  const [byNode, pulls] = await Promise.all([
    src.stats.query({ from: period.from, to: period.to, by: 'node', compare: false }),
    src.rollupPulls ? src.stats.lastPulls() : undefined,
  ]);

  const views = new Map<string, NodeView>();
  const view = (id: string, role: NodeRole, registeredRow?: (typeof registered)[number]): NodeView => {
    const p = registeredRow?.province ? provinceByCode(registeredRow.province) : undefined;
    const h = heads.get(id);
    const at = pulls?.get(id);
    return {
      id, role, registered: registeredRow !== undefined,
      province: p ? { code: p.code, nameFa: p.nameFa, nameEn: p.nameEn } : null,
      url: registeredRow?.url ?? null, recordKeyId: registeredRow?.recordKeyId ?? null,
      heads: h ? { ...h, ageMs: Math.max(0, now - Date.parse(h.receivedAt)) } : null,
      pull: pulls === undefined ? undefined : at === undefined ? null : { at, lagMs: Math.max(0, now - Date.parse(at)) },
      home: [], standby: [], alone: [], line: zero(id),
    };
  };
  if (centralNode !== undefined) views.set(centralNode, view(centralNode, 'central', registered.find((n) => n.id === centralNode)));
  for (const n of registered) if (!views.has(n.id)) views.set(n.id, view(n.id, n.role, n));

  // A subsystem without a home node is the centre's (operations.ts: the centre is stored as null).
  for (const s of subsystems) {
    const home = s.home_node ?? centralNode;
    const standby = (s.standby_nodes ?? '').split(',').filter(Boolean);
    if (home !== undefined) {
      const v = views.get(home);
      v?.home.push(s.id);
      if (standby.length === 0) v?.alone.push(s.id);
    }
    for (const n of standby) views.get(n)?.standby.push(s.id);
  }
  for (const l of byNode.lines) {
    // A node removed from the registry (or pulled by --province-node only) still has its exchanges counted.
    const v = views.get(l.key) ?? view(l.key, 'provincial');
    v.line = l;
    views.set(l.key, v);
  }

  const nodes = [...views.values()].sort((a, b) => (a.role === b.role ? a.id.localeCompare(b.id) : a.role === 'central' ? -1 : 1));
  const concerns: Concern[] = [];
  const pullMs = src.rollupPulls?.intervalMs ?? null;
  for (const n of nodes) {
    // The centre's own records are here: it witnesses and pulls nobody's heads of its own.
    if (n.registered && n.role === 'provincial') {
      if (n.heads === null) concerns.push({ kind: 'no-heads', node: n.id });
      else if (n.heads.ageMs > WITNESS_OVERDUE_MS) concerns.push({ kind: 'old-heads', node: n.id, ageMs: n.heads.ageMs });
      if (n.pull === null) concerns.push({ kind: 'never-pulled', node: n.id, url: n.url ?? '' });
      else if (n.pull && pullMs !== null && n.pull.lagMs > PULLS_OVERDUE * pullMs) concerns.push({ kind: 'not-reached', node: n.id, url: n.url ?? '', lagMs: n.pull.lagMs });
    }
    if (n.alone.length > 0) concerns.push({ kind: 'no-standby', node: n.id, subsystems: n.alone });
  }
  return {
    centralNode: centralNode ?? null, from: byNode.from, to: byNode.to, total: byNode.total, nodes, concerns,
    pullsKnown: pulls !== undefined, pullIntervalMs: pullMs,
  };
}

/** This Jalali month up to today. */
export function monthToDate(today: JalaliDate): { from: JalaliDate; to: JalaliDate } {
  return { from: { ...today, day: 1 }, to: today };
}
