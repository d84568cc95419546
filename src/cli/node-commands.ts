// `tabadol start` runs a node; `tabadol demo` runs a node with the simulated agencies of the demo.
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { defaultConfig, parseDiskWatermark, parseIntervalSeconds, parseNodeUrl, parseRetentionDays, type NodeConfig, type PeerNode } from '../node/config.ts';
import { checkNodeId } from '../registry/central-node.ts';
import { provinceByCode } from '../divisions/provinces.ts';
import { startProvincialCluster, startProvincialNode } from '../node/provincial-node.ts';
import { startNode } from '../node/node.ts';
import { runClusterWorker, startClusterPrimary } from '../node/cluster.ts';
import { citizenPortalClient } from '../portal/citizen-stand-in.ts';
import { globals, runOf } from './context.ts';

interface NodeFlags {
  adminPort: string; tlsPort: string; tlsHost: string; httpPort?: string; tls?: boolean; durability: string; nodeId: string; chain?: string; minFreeDisk: string;
  rollups: boolean; keepRecords: string; keepHourlyStats: string; portalPort: string; portalHost: string; portal?: boolean; portalRate: string;
  citizenStandIn?: boolean; portalSecureCookies?: boolean; nodePort: string | false; nodeHost: string;
  centralNodeUrl?: string; centralNodeId?: string; witnessInterval: string; rollupPullInterval: string; provinceNode: string[];
  role: string; province?: string; snapshotKey?: string; snapshotValidity?: string;
}

/** `--role central|provincial` with `--province`; a province needs its central node. */
function roleOf(o: NodeFlags): Pick<NodeConfig, 'role' | 'province' | 'snapshotKeyFile'> {
  if (o.role !== 'central' && o.role !== 'provincial') fail(Errors.InvalidInput, `--role must be central or provincial, not ${JSON.stringify(o.role.slice(0, 40))}`);
  if (o.role === 'central') {
    if (o.province !== undefined) fail(Errors.InvalidInput, '--province is for a provincial node (--role provincial)');
    if (o.snapshotKey !== undefined) fail(Errors.InvalidInput, '--snapshot-key is for a provincial node: the centre signs its own snapshots');
    return { role: 'central', province: null, snapshotKeyFile: null };
  }
  if (o.province === undefined) fail(Errors.InvalidInput, 'a provincial node needs --province, its two-digit code (00–30)');
  const province = provinceByCode(o.province)?.code ?? fail(Errors.InvalidInput, '--province must be a province code from 00 to 30');
  if (o.centralNodeId === undefined) fail(Errors.InvalidInput, 'a provincial node needs --central-node-id and --central-node-url: it fetches its snapshot there');
  if (o.provinceNode.length > 0) fail(Errors.InvalidInput, '--province-node is for the central node');
  return { role: 'provincial', province, snapshotKeyFile: o.snapshotKey ?? null };
}

/** `--snapshot-validity <seconds>`: how long each snapshot the centre signs stays valid (default a day). */
function snapshotValidityOf(o: NodeFlags): number | undefined {
  if (o.snapshotValidity === undefined) return undefined;
  return parseIntervalSeconds(o.snapshotValidity, '--snapshot-validity');
}

function portOf(v: string | undefined): number | null {
  return v === undefined ? null : Number(v);
}

function portalPortOf(v: string): number {
  const n = Number(v);
  if (!/^\d{1,5}$/.test(v) || n > 65535) fail(Errors.InvalidInput, `--portal-port must be a port number from 0 to 65535 (0 picks a free one), not ${JSON.stringify(v)}`);
  return n;
}

function nodePortOf(o: NodeFlags): number | null {
  // Commander gives --no-node-port as nodePort false.
  if (o.nodePort === false) return null;
  const n = Number(o.nodePort);
  if (!/^\d{1,5}$/.test(o.nodePort) || n > 65535) fail(Errors.InvalidInput, `--node-port must be a port number from 0 to 65535 (0 picks a free one), not ${JSON.stringify(o.nodePort)}`);
  return n;
}

function portalRateOf(v: string): number {
  if (!/^\d{1,7}$/.test(v)) fail(Errors.InvalidInput, `--portal-rate must be a whole number of requests per minute (0: no limit), not ${JSON.stringify(v)}`);
  return Number(v);
}

/** `--central-node-id` and `--central-node-url` go together; neither: the node reports to nobody. */
function centralNodeOf(o: NodeFlags): PeerNode | null {
  if (o.centralNodeId === undefined && o.centralNodeUrl === undefined) return null;
  if (o.centralNodeId === undefined || o.centralNodeUrl === undefined) fail(Errors.InvalidInput, '--central-node-id and --central-node-url go together');
  return { nodeId: checkNodeId(o.centralNodeId, '--central-node-id'), url: parseNodeUrl(o.centralNodeUrl, '--central-node-url') };
}

/** `--province-node p23=https://host:5500`, once per province. */
function provinceNodesOf(o: NodeFlags): PeerNode[] {
  const nodes = o.provinceNode.map((text) => {
    const at = text.indexOf('=');
    if (at < 1) fail(Errors.InvalidInput, `--province-node must be ID=https://host:port, not ${JSON.stringify(text.slice(0, 200))}`);
    return { nodeId: checkNodeId(text.slice(0, at), '--province-node id'), url: parseNodeUrl(text.slice(at + 1), '--province-node') };
  });
  const ids = nodes.map((n) => n.nodeId);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) fail(Errors.InvalidInput, `--province-node names ${twice} twice`);
  return nodes;
}

const collect = (v: string, all: string[]) => [...all, v];

export function nodeConfigFromFlags(cmd: Command, o: NodeFlags): NodeConfig {
  const g = globals(cmd);
  return defaultConfig({
    dataDir: g.data,
    instance: g.instance,
    nodeId: o.nodeId,
    ...roleOf(o),
    ...(snapshotValidityOf(o) === undefined ? {} : { snapshotValidityMs: snapshotValidityOf(o)! }),
    adminPort: Number(o.adminPort),
    tlsPort: o.tls === false ? null : Number(o.tlsPort),
    tlsHost: o.tlsHost,
    nodePort: nodePortOf(o),
    nodeHost: o.nodeHost,
    httpPort: portOf(o.httpPort),
    portalPort: o.portal === false ? null : portalPortOf(o.portalPort),
    portalHost: o.portalHost,
    portalRatePerMinute: portalRateOf(o.portalRate),
    portalSecureCookies: o.portalSecureCookies === true,
    citizenStandIn: o.citizenStandIn === true ? { client: citizenPortalClient(g.instance) } : null,
    durability: o.durability === 'normal' ? 'normal' : 'full',
    chainId: o.chain ?? `${o.nodeId}/0`,
    minFreeDisk: parseDiskWatermark(o.minFreeDisk),
    rollups: o.rollups,
    centralNode: centralNodeOf(o),
    witnessIntervalMs: parseIntervalSeconds(o.witnessInterval, '--witness-interval'),
    provinceNodes: provinceNodesOf(o),
    rollupPullIntervalMs: parseIntervalSeconds(o.rollupPullInterval, '--rollup-pull-interval'),
    retention: { recordDays: parseRetentionDays(o.keepRecords, '--keep-records', true), hourlyDays: parseRetentionDays(o.keepHourlyStats, '--keep-hourly-stats', false) ?? 92 },
    logLevel: runOf(cmd).env.TABADOL_LOG_LEVEL ?? 'info',
  });
}

function withNodeFlags(cmd: Command, httpDefault?: string): Command {
  return cmd
    .option('--admin-port <port>', 'admin API port (localhost only)', '4000')
    .option('--tls-port <port>', 'data port with client-certificate TLS', '8443')
    .option('--tls-host <address>', 'address the TLS data port listens on', '0.0.0.0')
    .option('--no-tls', 'no TLS data port')
    .option('--node-port <port>', 'node-to-node port: mutual TLS with node certificates (0 picks a free port)', '5500')
    .option('--node-host <address>', 'address the node-to-node port listens on', '0.0.0.0')
    .option('--no-node-port', 'no node-to-node port')
    .option('--central-node-id <id>', 'the central node this node reports to: it witnesses this node\'s chain heads and pulls its rollups (with --central-node-url)')
    .option('--central-node-url <url>', 'the central node\'s node-to-node port, https://host:port')
    .option('--witness-interval <seconds>', 'how often the signed chain heads go to the central node (and at shutdown)', '60')
    .option('--province-node <id=url>', 'a node whose rollups this node pulls, e.g. p23=https://10.0.23.1:5500 (repeat per province)', collect, [])
    .option('--rollup-pull-interval <seconds>', 'how often the provinces\' rollups are pulled', '60')
    .option('--http-port <port>', 'plain-HTTP data port on localhost (development only)', httpDefault)
    .option('--portal-port <port>', 'portal port: open data and the operators\' dashboard (0 picks a free port)', '8000')
    .option('--portal-host <address>', 'address the portal listens on (0.0.0.0 exposes it to the network)', '127.0.0.1')
    .option('--portal-rate <n>', 'requests per minute the portal answers one remote address (0: no limit, e.g. behind a proxy that limits)', '600')
    .option('--no-portal', 'no portal port')
    .option('--portal-secure-cookies', 'the portal is reached over HTTPS (a TLS reverse proxy in front of it): the dashboard\'s session cookie is Secure')
    .option('--durability <level>', 'full (fsync per group commit) or normal (survives a crash of the process)', 'full')
    .option('--min-free-disk <size>', 'free disk space (MB, GB or %) below which new exchanges are refused', '512MB')
    .option('--keep-records <days>', 'days raw records are kept before they age out ("forever" keeps them); statistics stay', 'forever')
    .option('--keep-hourly-stats <days>', 'days hourly statistics are kept (daily and monthly ones are kept for good)', '92')
    .option('--no-rollups', 'do not count exchanges into the statistics (to measure what counting costs)')
    .option('--node-id <id>', 'this node', 'central')
    .option('--role <role>', 'central (owns the registry, signs snapshots) or provincial (fetches the centre\'s snapshot over the node port)', 'central')
    .option('--province <code>', 'a provincial node\'s province, two-digit code 00–30')
    .option('--snapshot-key <file>', 'a provincial node: the centre\'s keys/snapshot-signing.pub.pem (pinned in DATA/keys on first use)')
    .option('--snapshot-validity <seconds>', 'the centre: how long each signed snapshot stays valid (default 86400)')
    .option('--chain <id>', 'record chain of this process (default <node-id>/0)');
}

/** Closes in order on Ctrl-C or SIGTERM, then exits. */
export function stopOnSignals(close: () => Promise<void>): void {
  const stop = () => { close().then(() => process.exit(0), () => process.exit(1)); };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export function registerNodeCommands(program: Command): void {
  withNodeFlags(program.command('start').description('run a node on its data directory'))
    .option('--workers <n>', 'data-plane processes sharing the data ports ("auto" = one per core)', '1')
    .option('--citizen-stand-in', 'DEVELOPMENT ONLY: the citizen page /citizen on the portal behind a SIMULATED national login (needs --http-port and a localhost portal)')
    .action(async (o: NodeFlags & { workers: string }, cmd: Command) => {
      const config = nodeConfigFromFlags(cmd, o);
      const workers = o.workers === 'auto' ? availableParallelism() : Number(o.workers);
      // The cluster's primary does not hand its portal the data port the stand-in asks through.
      if (workers > 1 && config.citizenStandIn !== null) fail(Errors.InvalidInput, '--citizen-stand-in runs on a node of one process (--workers 1)');
      if (workers > 1 && cluster.isWorker) return runClusterWorker(config);
      const node = config.role === 'provincial' ? (workers > 1 ? await startProvincialCluster(config, workers) : await startProvincialNode(config))
        : workers > 1 ? await startClusterPrimary(config, workers) : await startNode(config);
      runOf(cmd).err(`node started: ${JSON.stringify(node.ports)}${workers > 1 ? `, ${workers} data-plane workers` : ''}\n`);
      // A supervising parent (tests, benchmarks) learns the ports and the data-plane processes.
      process.send?.({ ready: true, ports: node.ports, pids: 'workerPids' in node ? node.workerPids() : [process.pid] });
      stopOnSignals(() => node.close());
    });

  withNodeFlags(program.command('demo').description('run a node with the simulated agencies of the demo'), '8080')
    .option('--agency-port <port>', 'port of the simulated agencies (localhost)', '9090')
    .option('--divisions <csv>', "the statistical centre's country-divisions file (default: the bundled sample)")
    .action(async (o: NodeFlags & { agencyPort: string; divisions?: string }, cmd: Command) => {
      const csv = o.divisions === undefined ? undefined : await readFile(o.divisions, 'utf8')
        .catch((e: Error) => fail(Errors.InvalidInput, `cannot read ${o.divisions}: ${e.message}`));
      // The simulation is imported here, not at the top: no other command evaluates it.
      const { runDemo } = await import('../simulation/demo/run-demo.ts');
      const demo = await runDemo(nodeConfigFromFlags(cmd, o), Number(o.agencyPort), csv);
      stopOnSignals(() => demo.close());
    });
}
