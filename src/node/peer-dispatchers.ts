// The data plane's way to the other nodes (src/dataplane/peer-nodes.ts): the node client
// (node-client.ts) on this node's node certificate, one pooled agent per peer node, and a bound on
// the exchanges in progress to each peer, so that a slow province cannot collect a growing queue of
// this node's exchanges (the same reasoning as provider-pools.ts).
//
// The certificate is read from the data directory when the first exchange needs it, not when the
// data plane starts: on a node that holds the CA the node port issues it after the data plane is up
// (node-identity.ts). It is read again once it has expired, so a renewed certificate the operator
// installed is taken without a restart. A data-plane process never opens the registry, so it reads
// the files directly rather than through node-identity.ts, which records what it issues there.
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { Errors, TabadolError, fail } from '../errors/catalogue.ts';
import type { PeerNodes } from '../dataplane/peer-nodes.ts';
import { CA_CERT_FILE } from '../identity/ca.ts';
import { NodeClient } from './node-client.ts';
import { caDirOf } from './node-tls.ts';

export interface PeerDispatcherOptions {
  dataDir: string;
  /** Revoked serials of the snapshot the data plane runs on: a peer presenting one is refused. */
  revokedSerials: () => ReadonlySet<string> | undefined;
  now: () => number;
  /** Connections to one peer node (default 64). */
  connectionsPerPeer?: number;
  /** Exchanges that may wait for a connection to one peer node, beyond those (default 256). */
  queuePerPeer?: number;
}

/** Where node-identity.ts keeps this node's certificate: tls/node/{cert,key}.pem, and the CA
 * certificate beside them on a node without the CA (the same file name as the CA's own). */
function nodeCertDir(dataDir: string): string {
  return path.join(dataDir, 'tls', 'node');
}

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

  constructor(private readonly o: PeerDispatcherOptions) {
    this.connections = o.connectionsPerPeer ?? 64;
    this.queue = o.queuePerPeer ?? 256;
  }

  async acquire(nodeId: string): Promise<Dispatcher> {
    const client = this.client !== undefined && this.o.now() < this.notAfter ? this.client : await this.reload();
    const n = this.inFlight.get(nodeId) ?? 0;
    if (n >= this.connections + this.queue) fail(Errors.PeerNodeBusy, `node ${nodeId}: ${this.connections} connections and ${this.queue} waiting`);
    this.inFlight.set(nodeId, n + 1);
    return client.agentFor(nodeId);
  }

  release(nodeId: string): void {
    this.inFlight.set(nodeId, (this.inFlight.get(nodeId) ?? 1) - 1);
  }

  async close(): Promise<void> {
    await this.client?.close();
    this.client = undefined;
  }

  /** One read at a time, however many exchanges wait for it. */
  private reload(): Promise<NodeClient> {
    this.loading ??= this.load().finally(() => { this.loading = undefined; });
    return this.loading;
  }

  private async load(): Promise<NodeClient> {
    const dir = nodeCertDir(this.o.dataDir);
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
