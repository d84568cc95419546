// A node's configuration, checked once at start. Only entry points build it (from flags and the
// environment); everything else receives it.
import { Errors, fail } from '../errors/catalogue.ts';
import type { DiskWatermark, FreeSpaceSource } from '../records/disk-reserve.ts';
import type { RetentionPolicy } from '../records/retention.ts';

export interface NodeConfig {
  instance: string;
  nodeId: string;
  /** 'central': owns the registry and signs snapshots. 'provincial': owns no registry; fetches the
   * centre's signed snapshot over the node port (`centralNode`) and relays it to its data planes. */
  role: NodeRole;
  /** A provincial node's province, two-digit code ('00'–'30'); null for the centre. */
  province: string | null;
  /** A provincial node: the centre's snapshot public key as given (`--snapshot-key`), pinned in the
   * data directory on first use; null: the pinned copy. */
  snapshotKeyFile: string | null;
  dataDir: string;
  /** Admin API port; bound to localhost. */
  adminPort: number;
  adminHost: string;
  /** TLS data port with client certificates; null disables it. */
  tlsPort: number | null;
  tlsHost: string;
  /** Node-to-node port (mutual TLS with node certificates, src/node/node-port.ts); null disables it.
   * Off unless asked for (`tabadol start` asks for 5500, X-Road's), like the portal. */
  nodePort: number | null;
  /** Other nodes call it over the network: every address unless told otherwise (`--node-host`). */
  nodeHost: string;
  /** Plain-HTTP data port: a development convenience, localhost only; null disables it. */
  httpPort: number | null;
  /** Public, read-only portal port (open data; the dashboard later); null disables it. Off unless
   * asked for (`tabadol start` asks for 8000), so a node embedded in a program opens no extra port. */
  portalPort: number | null;
  /** Public by design, but exposing it is the operator's choice: localhost unless told otherwise. */
  portalHost: string;
  /** Requests per minute the portal answers one remote address (an IPv6 one by its /64); 0 turns the
   * limit off, for a portal behind a reverse proxy that limits (every caller then shares its address). */
  portalRatePerMinute: number;
  /** The portal is reached over TLS (a reverse proxy in front of it: the portal speaks plain HTTP):
   * the dashboard's session cookie is then Secure and `__Host-` prefixed (`--portal-secure-cookies`). */
  portalSecureCookies: boolean;
  /** DEVELOPMENT ONLY: the citizen's "who looked me up" page on the portal behind a SIMULATED national
   * login, where anyone may type any national code (src/portal/citizen-stand-in.ts); null (the
   * default) leaves the page out. */
  citizenStandIn: CitizenStandIn | null;
  snapshotPollMs: number;
  snapshotValidityMs: number;
  checkpointIntervalMs: number;
  durability: 'full' | 'normal';
  /** Free space on the data directory's file system below which new exchanges are refused
   * (Server.ServerProxy.RecordFailed) before the disk fills; checked every diskCheckMs. */
  minFreeDisk: DiskWatermark;
  diskCheckMs: number;
  /** Where free space is read from; statfs(2) unless replaced (tests simulate a full disk). */
  freeSpace?: FreeSpaceSource;
  maxBodyBytes: number;
  /** Time a client has to send its headers, and its whole request; Node's defaults (60 s, 300 s)
   * let slow clients hold connections for minutes. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Count each exchange into the statistics' rollups as it is recorded (off only to measure their cost). */
  rollups: boolean;
  /** How long raw records and hourly statistics are kept. */
  retention: RetentionPolicy;
  /** The central node this node reports to (`--central-node-id`, `--central-node-url`): it sends it
   * its signed chain heads to witness and lets it pull its rollups. Null: it reports to nobody. */
  centralNode: PeerNode | null;
  /** How often the chain heads go to the central node (and once more at shutdown). */
  witnessIntervalMs: number;
  /** The nodes whose rollups this node (their centre) pulls (`--province-node id=url`). */
  provinceNodes: PeerNode[];
  /** How often the provinces' rollups are pulled. */
  rollupPullIntervalMs: number;
  /** Chain of this process's records; one writer per chain. */
  chainId: string;
  logLevel: string;
  now: () => number;
}

export type NodeRole = 'central' | 'provincial';

/** Another node of the exchange and where its node-to-node port listens (https://host:port). */
export interface PeerNode { nodeId: string; url: string }

export interface CitizenStandIn {
  /** The portal's subsystem: it asks the data tracker as this consumer, through the node's own
   * plain-HTTP data port, so each look is access-checked and recorded like any inquiry. */
  client: string;
  /** Entries per page; the tracker's default when absent. */
  pageSize?: number;
}

export function defaultConfig(overrides: Partial<NodeConfig> & { dataDir: string }): NodeConfig {
  const nodeId = overrides.nodeId ?? 'central';
  return {
    instance: 'IR',
    nodeId,
    role: 'central',
    province: null,
    snapshotKeyFile: null,
    adminPort: 4000,
    adminHost: '127.0.0.1',
    tlsPort: 8443,
    tlsHost: '0.0.0.0',
    nodePort: null,
    nodeHost: '0.0.0.0',
    httpPort: null,
    portalPort: null,
    portalHost: '127.0.0.1',
    portalRatePerMinute: 600,
    portalSecureCookies: false,
    citizenStandIn: null,
    snapshotPollMs: 1000,
    snapshotValidityMs: 24 * 3600_000,
    checkpointIntervalMs: 1000,
    durability: 'full',
    minFreeDisk: DEFAULT_MIN_FREE_DISK,
    diskCheckMs: 1000,
    maxBodyBytes: 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    rollups: true,
    retention: { recordDays: null, hourlyDays: 92 },
    centralNode: null,
    witnessIntervalMs: 60_000,
    provinceNodes: [],
    rollupPullIntervalMs: 60_000,
    chainId: `${nodeId}/0`,
    logLevel: 'info',
    now: Date.now,
    ...overrides,
  };
}

/** 512 MB: room for about 650,000 typical records (800 bytes each) while the operator frees space,
 * and for the registry, the logs and the checkpoints. */
export const DEFAULT_MIN_FREE_DISK: DiskWatermark = { bytes: 512 * 1024 * 1024 };

/** `--min-free-disk`: megabytes ("512", "512MB"), gigabytes ("2GB") or a share of the disk ("5%"); 0 disables. */
export function parseDiskWatermark(text: string): DiskWatermark {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|MB|M|GB|G)?\s*$/i.exec(text);
  if (!m) fail(Errors.InvalidInput, `--min-free-disk must be megabytes (512 or 512MB), gigabytes (2GB) or a percentage (5%), not ${JSON.stringify(text)}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? 'MB').toUpperCase();
  if (unit === '%') {
    if (n >= 100) fail(Errors.InvalidInput, '--min-free-disk as a percentage must be below 100');
    return { percent: n };
  }
  return { bytes: Math.round(n * 1024 * 1024 * (unit.startsWith('G') ? 1024 : 1)) };
}

/** `--keep-records` (days, or "forever") and `--keep-hourly-stats` (days). */
export function parseRetentionDays(text: string, flag: string, forever: boolean): number | null {
  if (forever && text === 'forever') return null;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 100 * 366) fail(Errors.InvalidInput, `${flag} must be a whole number of days from 1 to 36600${forever ? ', or forever' : ''}`);
  return n;
}

/** `--central-node-url`, `--province-node`: the base URL of a node port, https only (mutual TLS). */
export function parseNodeUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail(Errors.InvalidInput, `${flag} must be a URL such as https://host:5500, not ${JSON.stringify(text.slice(0, 200))}`);
  }
  if (url.protocol !== 'https:' || url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    fail(Errors.InvalidInput, `${flag} must be https://host:port of a node-to-node port, without path, query or credentials`);
  }
  return url.origin;
}

/** `--witness-interval`, `--rollup-pull-interval`: whole seconds, 1 to 86400. */
export function parseIntervalSeconds(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d{1,5}$/.test(text) || n < 1 || n > 86_400) fail(Errors.InvalidInput, `${flag} must be whole seconds from 1 to 86400, not ${JSON.stringify(text.slice(0, 40))}`);
  return n * 1000;
}
