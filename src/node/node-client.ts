// Calls from this node to another node's node-to-node port (node-port.ts), over mutual TLS: this
// node's certificate as the client's, the exchange CA as the only trust anchor, and the server's
// certificate checked to be bound to the very node this node meant to call (not just any node of
// the CA) and not revoked per this node's snapshot. Nodes are identified by certificate, not by
// host name: a province's address may change, its node id does not, so the host-name check
// (RFC 9110 §4.3.4) is replaced by the node binding rather than added to it.
import { createSecureContext, type PeerCertificate, type SecureContext } from 'node:tls';
import { Agent, request, type Dispatcher } from 'undici';
import { Errors, TabadolError, isTabadolError } from '../errors/catalogue.ts';
import { nodeIdOfPeer } from '../identity/peer.ts';
import { PEER_CONNECT_TIMEOUT_MS } from '../dataplane/peer-nodes.ts';

export interface NodeClientOptions {
  identity: { certPem: string; keyPem: string; caCertPem: string };
  /** Revoked serials of the snapshot this node runs on; a peer presenting one is refused. */
  revokedSerials?: () => ReadonlySet<string> | undefined;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Connections kept to one peer node at most: a slow peer cannot take every socket of this node. */
  connectionsPerPeer?: number;
  keepAliveTimeoutMs?: number;
}

export interface NodeRequest {
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface NodeHealth {
  nodeId: string;
  role: string;
  snapshot: { version: number; validUntil: string; valid: boolean } | null;
  uptimeSeconds: number;
  peer: string;
}

export class NodeClient {
  /** One pool per peer node: its identity check is bound to that node. */
  private readonly agents = new Map<string, Agent>();
  /**
   * This node's certificate, key and trust anchor, parsed once for every connection to every peer.
   * Given as PEM to each connect, they were parsed again for each new connection (about 0.8 ms of
   * CPU each here; seen in profiles of the routed bench row). A shared context resumes no session:
   * Node's contexts keep no session cache of their own (a client resumes only a session passed to
   * it, which maxCachedSessions: 0 below never does), so every connection still does the full
   * handshake and the identity check.
   */
  private secureContext: SecureContext | undefined;

  constructor(private readonly o: NodeClientOptions) {}

  /** The shared context; when the identity cannot make one (a key that does not match, say), the
   * PEM as before, so that each connection fails with its own TLS error, coded as it always was. */
  private tlsIdentity(): { secureContext: SecureContext } | { ca: string; cert: string; key: string } {
    const { caCertPem: ca, certPem: cert, keyPem: key } = this.o.identity;
    try {
      this.secureContext ??= createSecureContext({ ca, cert, key });
      return { secureContext: this.secureContext };
    } catch {
      return { ca, cert, key };
    }
  }

  /** The dispatcher for calls to `nodeId`, wherever it listens; created once per node. */
  agentFor(nodeId: string): Agent {
    let agent = this.agents.get(nodeId);
    if (!agent) {
      agent = new Agent({
        connections: this.o.connectionsPerPeer ?? 8,
        pipelining: 1,
        headersTimeout: this.o.headersTimeoutMs ?? 10_000,
        bodyTimeout: this.o.bodyTimeoutMs ?? 30_000,
        keepAliveTimeout: this.o.keepAliveTimeoutMs ?? 30_000,
        connect: {
          // The exchange CA as the only trust anchor, this node's certificate as the client's.
          ...this.tlsIdentity(),
          rejectUnauthorized: true,
          timeout: this.o.connectTimeoutMs ?? PEER_CONNECT_TIMEOUT_MS,
          // Node skips checkServerIdentity on a resumed TLS session: no resumption, so every
          // connection proves the peer again (a revocation since the last one counts).
          maxCachedSessions: 0,
          checkServerIdentity: (_host: string, cert: PeerCertificate) => this.identityProblem(nodeId, cert),
        },
      });
      this.agents.set(nodeId, agent);
    }
    return agent;
  }

  /** Why the server's certificate is not the one of `nodeId` in force, or undefined. */
  private identityProblem(nodeId: string, cert: PeerCertificate): TabadolError | undefined {
    const bound = nodeIdOfPeer(cert);
    if (bound !== nodeId) return new TabadolError(Errors.NodePeerMismatch, `meant to call node ${nodeId}, its certificate is bound to ${bound ?? 'no node'}`);
    const serial = (cert.serialNumber ?? '').toUpperCase().replace(/^0+(?=.)/, '');
    if (this.o.revokedSerials?.()?.has(serial)) return new TabadolError(Errors.NodePeerMismatch, `the certificate ${serial} of node ${nodeId} has been revoked`);
    return undefined;
  }

  /** One call to `nodeId` at `baseUrl` (https://host:port); failures to reach it are coded. */
  async request(nodeId: string, baseUrl: string, path: string, r: NodeRequest = {}): Promise<Dispatcher.ResponseData> {
    try {
      return await request(new URL(path, baseUrl), {
        method: r.method ?? 'GET', headers: r.headers, body: r.body, signal: r.signal, dispatcher: this.agentFor(nodeId),
      });
    } catch (e) {
      throw this.coded(nodeId, e);
    }
  }

  /** The peer's health (node-port.ts); a refusal or failure is a coded error. */
  async health(nodeId: string, baseUrl: string, signal?: AbortSignal): Promise<NodeHealth> {
    const res = await this.request(nodeId, baseUrl, '/node/v1/health', { signal });
    const body = await res.body.json() as NodeHealth & { type?: string };
    if (res.statusCode !== 200) throw new TabadolError(Errors.NetworkError, `node ${nodeId} answered ${res.statusCode} ${body.type ?? ''}`.trim());
    return body;
  }

  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((a) => a.close()));
  }

  private coded(nodeId: string, e: unknown): TabadolError {
    // The identity check's own refusal comes back as the TLS error, sometimes as its cause.
    const cause = (e as { cause?: unknown }).cause;
    if (isTabadolError(e)) return e;
    if (isTabadolError(cause)) return cause;
    const code = (e as { code?: string }).code ?? 'unknown';
    return new TabadolError(Errors.NetworkError, `node ${nodeId}: ${code}`, { cause: e });
  }
}
