// The data plane's way to the other nodes (src/dataplane/peer-nodes.ts): the node client
// (node-client.ts) on this node's node certificate, one pooled agent per peer node, and a bound on
// the exchanges in progress to each peer, so that a slow province cannot collect a growing queue of
// this node's exchanges (the same reasoning as provider-pools.ts).
//
// The certificate is read from the data directory when the first exchange needs it, not when the
// data plane starts: on a node that holds the CA the node port issues it after the data plane is up
// (node-identity.ts). It is read again once it has expired, so a renewed certificate the operator
// installed is taken without a restart.
//
// It also keeps which peers are down, for failover among the nodes serving one provider
// (src/dataplane/stages/route.ts): a peer that took no connection or gave no answer in time is down
// until it answers a health check (GET /node/v1/health, node-port.ts), which is asked at an
// interval while any peer is down and not at all otherwise. Exchanges are never spent on finding a
// peer back up; each process of the data plane keeps its own view. A data-plane process never opens the registry, so it reads
// the files directly rather than through node-identity.ts, which records what it issues there.
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import type { Logger } from 'pino';
import { Errors, TabadolError, fail } from '../errors/catalogue.ts';
import type { PeerNodes } from '../dataplane/peer-nodes.ts';
import { CA_CERT_FILE } from '../identity/ca.ts';
import { NodeClient } from './node-client.ts';
import { caDirOf, nodeCertDirOf } from './node-tls.ts';

export interface PeerDispatcherOptions {
  dataDir: string;
  /** Revoked serials of the snapshot the data plane runs on: a peer presenting one is refused. */
  revokedSerials: () => ReadonlySet<string> | undefined;
  now: () => number;
  /** Connections to one peer node (default 64). */
  connectionsPerPeer?: number;
  /** Exchanges that may wait for a connection to one peer node, beyond those (default 256). */
  queuePerPeer?: number;
  /** How often a peer that is down is asked for its health, and how long it has to answer (default 2 s). */
  probeIntervalMs?: number;
  /** A node's node-port address in the snapshot in force: a node that moved is probed where it is now. */
  urlOf?: (nodeId: string) => string | undefined;
  log?: Logger;
}

interface DownPeer { url: string; probing: boolean }

async function readFirst(files: string[]): Promise<string | undefined> {
  for (const f of files) {
    try {
      return await readFile(f, 'utf8');
    } catch {
      // The next place.
    }
  }
  return undefined;
}

export class PeerDispatchers implements PeerNodes {
  readonly connections: number;
  readonly queue: number;
  private client: NodeClient | undefined;
  private notAfter = 0;
  private loading: Promise<NodeClient> | undefined;
  private readonly inFlight = new Map<string, number>();
  private readonly down = new Map<string, DownPeer>();
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly probeIntervalMs: number;

  constructor(private readonly o: PeerDispatcherOptions) {
    this.connections = o.connectionsPerPeer ?? 64;
    this.queue = o.queuePerPeer ?? 256;
    this.probeIntervalMs = o.probeIntervalMs ?? 2000;
  }

  async acquire(nodeId: string): Promise<Dispatcher> {
    // Loaded and in force: no promise and no closure per exchange for it.
    const client = this.client !== undefined && this.o.now() < this.notAfter ? this.client
      // The certificate problems name no node; the exchange's refusal says which it was going to.
      : await this.reload().catch((e: TabadolError) => fail(Errors.NetworkError, `node ${nodeId}: ${e.detail ?? 'unreachable'}`));
    const n = this.inFlight.get(nodeId) ?? 0;
    if (n >= this.connections + this.queue) fail(Errors.PeerNodeBusy, `node ${nodeId}: ${this.connections} connections and ${this.queue} waiting`);
    this.inFlight.set(nodeId, n + 1);
    return client.agentFor(nodeId);
  }

  release(nodeId: string): void {
    this.inFlight.set(nodeId, (this.inFlight.get(nodeId) ?? 1) - 1);
  }

  isDown(nodeId: string): boolean {
    return this.down.size !== 0 && this.down.has(nodeId);
  }

  markDown(nodeId: string, url: string): void {
    if (this.closed || this.down.has(nodeId)) return;
    this.down.set(nodeId, { url, probing: false });
    this.o.log?.warn({ node: nodeId }, 'peer node unreachable: its providers\' other nodes are tried first until it answers a health check');
    this.probeTimer ??= setInterval(() => this.probeDown(), this.probeIntervalMs).unref();
  }

  markUp(nodeId: string): void {
    if (this.down.size !== 0 && this.down.delete(nodeId)) this.o.log?.info({ node: nodeId }, 'peer node answers exchanges again');
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.probeTimer);
    this.probeTimer = undefined;
    this.down.clear();
    await this.client?.close();
    this.client = undefined;
  }

  private currentClient(): Promise<NodeClient> {
    return this.client !== undefined && this.o.now() < this.notAfter ? Promise.resolve(this.client) : this.reload();
  }

  /** One health check at a time per peer that is down; the timer stops when none is. */
  private probeDown(): void {
    if (this.closed || this.down.size === 0) {
      clearInterval(this.probeTimer);
      this.probeTimer = undefined;
      return;
    }
    for (const [nodeId, peer] of this.down) {
      if (peer.probing) continue;
      peer.probing = true;
      void this.answers(nodeId, this.o.urlOf?.(nodeId) ?? peer.url).then((up) => {
        peer.probing = false;
        if (!up || this.down.get(nodeId) !== peer) return;
        this.down.delete(nodeId);
        this.o.log?.info({ node: nodeId }, 'peer node answers its health check again');
      });
    }
  }

  /** Whether the peer answers as itself, on a snapshot still valid (an expired one refuses exchanges). */
  private async answers(nodeId: string, url: string): Promise<boolean> {
    if (this.closed) return false;
    try {
      const health = await (await this.currentClient()).health(nodeId, url, AbortSignal.timeout(this.probeIntervalMs));
      return health.nodeId === nodeId && health.snapshot?.valid === true;
    } catch {
      return false;
    }
  }

  /** One read at a time, however many exchanges wait for it. */
  private reload(): Promise<NodeClient> {
    this.loading ??= this.load().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async load(): Promise<NodeClient> {
    // tls/node/{cert,key}.pem, and the CA certificate beside them on a node without the CA.
    const dir = nodeCertDirOf(this.o.dataDir);
    const [certPem, keyPem, caCertPem] = await Promise.all([
      readFirst([path.join(dir, 'cert.pem')]),
      readFirst([path.join(dir, 'key.pem')]),
      readFirst([path.join(caDirOf(this.o.dataDir), CA_CERT_FILE), path.join(dir, CA_CERT_FILE)]),
    ]);
    if (certPem === undefined || keyPem === undefined || caCertPem === undefined) {
      throw new TabadolError(Errors.NetworkError, 'this node has no node certificate to reach other nodes with yet');
    }
    let notAfter: number;
    try {
      notAfter = Date.parse(new X509Certificate(certPem).validTo);
    } catch (e) {
      throw new TabadolError(Errors.NetworkError, 'this node\'s node certificate is not valid PEM', { cause: e });
    }
    if (!(this.o.now() < notAfter)) throw new TabadolError(Errors.NetworkError, 'this node\'s node certificate has expired');
    const old = this.client;
    this.client = new NodeClient({
      identity: { certPem, keyPem, caCertPem }, revokedSerials: this.o.revokedSerials, connectionsPerPeer: this.connections,
    });
    this.notAfter = notAfter;
    // Exchanges under way on the old agents finish first (undici's close waits for them).
    if (old) void old.close().catch(() => undefined);
    return this.client;
  }
}
