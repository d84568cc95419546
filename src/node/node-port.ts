// The node-to-node port (X-Road's security servers talk on 5500): HTTPS with mutual TLS between the
// nodes of one exchange. Other nodes call it to route exchanges to a provider's node, fetch the
// signed snapshot, send witnessed chain heads and pull rollups; each of those is a plugin given to
// createNodePortApp (src/node/node-port-routes.ts lists them).
//
// Who may call, checked in two places:
// - At the TLS handshake: a client certificate chained to the exchange CA and within its validity
//   (rejectUnauthorized). No certificate, a self-signed one, another CA's or an expired one ends the
//   handshake with a TLS alert: a caller that is not of this exchange reaches no HTTP parser at all.
// - On every request, so that a revocation reaches kept-alive connections at their next request:
//   the certificate must be bound to a node (peer.ts: a subsystem's certificate of the same CA is
//   not), must not be revoked per the snapshot this node runs on, and must not have expired since
//   the connection opened. Otherwise a coded refusal, Node.PeerRefused (403).
import type https from 'node:https';
import type http from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import { Errors, TabadolError, fail } from '../errors/catalogue.ts';
import { nodeIdOfPeer } from '../identity/peer.ts';
import { refusalOf } from '../admin/refusals.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { NodeIdentity } from './node-identity.ts';

/** X-Road's port between security servers. */
export const DEFAULT_NODE_PORT = 5500;
const NODE_PORT_BODY_LIMIT = 1024 * 1024;

/** The node a request comes from, as its certificate proves it. */
export interface NodePeer {
  nodeId: string;
  /** Upper-case hex, as revocations name it. */
  serial: string;
}

export type NodePortApp = FastifyInstance<https.Server, http.IncomingMessage, http.ServerResponse, FastifyBaseLogger, TypeBoxTypeProvider>;

export interface NodePortContext {
  /** This node. */
  nodeId: string;
  role: string;
  snapshots: SnapshotHolder;
  log: Logger;
  now: () => number;
  /** When this node started (ms since the epoch), for uptime. */
  startedAt: number;
}

/** A set of routes on the node port; every route it adds is behind the peer check above. */
export interface NodePortPlugin {
  name: string;
  register(app: NodePortApp, ctx: NodePortContext): Promise<void> | void;
}

export interface NodePortOptions extends NodePortContext {
  identity: NodeIdentity;
  plugins: readonly NodePortPlugin[];
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
}

const peers = new WeakMap<FastifyRequest, NodePeer>();

/** The peer node of a request on the node port (set by the check every request passes first). */
export function peerOf(req: FastifyRequest): NodePeer {
  return peers.get(req) ?? fail(Errors.NodePeerRefused, 'the request did not pass the peer check');
}

interface SocketPeer { nodeId: string | undefined; serial: string; validToMs: number }
// The certificate of a connection does not change: read it once per socket, check it per request.
const bySocket = new WeakMap<TLSSocket, SocketPeer>();

function socketPeer(socket: TLSSocket): SocketPeer {
  let p = bySocket.get(socket);
  if (!p) {
    const cert = socket.getPeerCertificate();
    p = {
      nodeId: socket.authorized ? nodeIdOfPeer(cert) : undefined,
      serial: (cert.serialNumber ?? '').toUpperCase().replace(/^0+(?=.)/, ''),
      validToMs: cert.valid_to ? Date.parse(cert.valid_to) : 0,
    };
    bySocket.set(socket, p);
  }
  return p;
}

/** The checks of every request (see the top of this file); throws the coded refusal. */
export function checkPeer(socket: TLSSocket, snapshots: SnapshotHolder, now: number): NodePeer {
  // rejectUnauthorized already ended such handshakes; kept so that the check stands on its own.
  if (!socket.authorized) throw new TabadolError(Errors.NodePeerRefused, 'the certificate is not issued by this exchange');
  const p = socketPeer(socket);
  if (p.nodeId === undefined) throw new TabadolError(Errors.NodePeerRefused, 'the certificate is bound to no node');
  const snapshot = snapshots.current;
  if (!snapshot) throw new TabadolError(Errors.NodeNoSnapshot);
  if (snapshot.revokedSerials.has(p.serial)) throw new TabadolError(Errors.NodePeerRefused, `the certificate ${p.serial} of node ${p.nodeId} has been revoked`);
  if (!(now < p.validToMs)) throw new TabadolError(Errors.NodePeerRefused, `the certificate ${p.serial} of node ${p.nodeId} has expired`);
  return { nodeId: p.nodeId, serial: p.serial };
}

export async function createNodePortApp(o: NodePortOptions): Promise<NodePortApp> {
  const app = Fastify({
    logger: false,
    bodyLimit: NODE_PORT_BODY_LIMIT,
    https: {
      key: o.identity.keyPem,
      cert: o.identity.certPem,
      // The exchange CA is the only trust anchor: no system roots, no other CA.
      ca: o.identity.caCertPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    keepAliveTimeout: 65_000,
    // Fastify's own 503 while closing carries no X-Road-Error, so a consumer's node could not tell
    // it from an answer; this port refuses with its coded Node.Closing instead (onRequest below).
    return503OnClosing: false,
    ...(o.requestTimeoutMs === undefined ? {} : { requestTimeout: o.requestTimeoutMs }),
    ajv: { customOptions: { removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as NodePortApp;
  if (o.headersTimeoutMs !== undefined) app.server.headersTimeout = o.headersTimeoutMs;

  const refuse = (reply: FastifyReply, err: unknown) => {
    const e = refusalOf(err, NODE_PORT_BODY_LIMIT);
    const detail = randomUUID();
    const route = reply.request.routeOptions.url;
    const peer = peers.get(reply.request)?.nodeId;
    if (e.status >= 500 && e.type !== Errors.NodeNoSnapshot.type) o.log.error({ err, detail, route, peer }, 'node port failed');
    else o.log.warn({ type: e.type, detail, route, peer, reason: e.message }, 'node port refused a request');
    void reply.status(e.status).headers({ 'x-road-error': e.type }).type('application/json').send({ type: e.type, message: e.message, detail });
  };

  // Refused handshakes are logged (at most once a second, with how many), not answered.
  let refusedHandshakes = 0;
  let lastLogged = 0;
  app.server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: TLSSocket) => {
    refusedHandshakes++;
    const at = o.now();
    if (at - lastLogged < 1000) return;
    lastLogged = at;
    o.log.warn({ code: err.code, count: refusedHandshakes, remote: socket.remoteAddress }, 'node port refused TLS handshakes');
    refusedHandshakes = 0;
  });

  // A callback hook rather than an async one: the check is synchronous, and every request on this
  // port (each routed exchange) is spared a promise and a turn of the microtask queue for it.
  let closing = false;
  app.addHook('preClose', (done) => { closing = true; done(); });
  app.addHook('onRequest', (req, _reply, done) => {
    if (closing) {
      done(new TabadolError(Errors.NodeClosing));
      return;
    }
    try {
      peers.set(req, checkPeer(req.raw.socket as TLSSocket, o.snapshots, o.now()));
    } catch (e) {
      done(e as Error);
      return;
    }
    done();
  });
  app.setErrorHandler((err, _req, reply) => refuse(reply, err));
  app.setNotFoundHandler((_req, reply) => refuse(reply, new TabadolError(Errors.NodeUnknownRoute)));

  const ctx: NodePortContext = { nodeId: o.nodeId, role: o.role, snapshots: o.snapshots, log: o.log, now: o.now, startedAt: o.startedAt };
  for (const plugin of [healthRoutes, ...o.plugins]) {
    // Each plugin in its own encapsulated scope: its hooks and decorators stay its own.
    await app.register(async (scope) => { await plugin.register(scope as unknown as NodePortApp, ctx); });
  }
  return app;
}

/** `GET /node/v1/health`: who this node is and what it runs on, for peers (failover by health). */
export const healthRoutes: NodePortPlugin = {
  name: 'health',
  register(app, ctx) {
    app.get('/node/v1/health', (req) => {
      const s = ctx.snapshots.current;
      const now = ctx.now();
      return {
        nodeId: ctx.nodeId,
        role: ctx.role,
        snapshot: s ? { version: s.version, validUntil: new Date(s.validUntil).toISOString(), valid: now < s.validUntil } : null,
        uptimeSeconds: Math.floor((now - ctx.startedAt) / 1000),
        peer: peerOf(req).nodeId,
      };
    });
  },
};

export interface RunningNodePort {
  port: number;
  app: NodePortApp;
  close(): Promise<void>;
}

export async function startNodePort(o: NodePortOptions & { port: number; host: string }): Promise<RunningNodePort> {
  const app = await createNodePortApp(o);
  await app.listen({ port: o.port, host: o.host });
  return {
    port: (app.server.address() as AddressInfo).port,
    app,
    async close() {
      app.server.closeIdleConnections();
      await app.close();
    },
  };
}
