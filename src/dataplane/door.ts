// The data port's request handler: reads the request, runs the pipeline (or a metaservice), has
// the record made durable, then answers. A response leaves only after its record is durable.
import { hash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { Errors, fail, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import { subsystemIdOfPeer } from '../identity/peer.ts';
import type { ExchangeRecord } from '../records/record.ts';
import type { Exchange } from './exchange.ts';
import { parseRequestTarget, type Target } from './protocol/r1-url.ts';
import { consumerResponseHeaders, readXRoadHeaders, repeatedContentType, requestHash } from './protocol/headers.ts';
import { errorBody, xmlTypeAsked } from './protocol/error-reply.ts';
import { allowedMethods, getOpenApi, listClients, listMethods, type MetaAnswer } from './metaservices.ts';
import type { SnapshotHolder } from './snapshot-holder.ts';
import type { Pipeline } from './pipeline.ts';
import { UnidentifiedRefusals } from './refusal-log.ts';
import { checkPartyHeaders } from './protocol/party-headers.ts';
import { causeForLog } from './log-safe.ts';
import { ROUTED_EXCHANGE_PREFIX } from './peer-nodes.ts';

export interface DoorOptions {
  pipeline: Pipeline;
  snapshots: SnapshotHolder;
  /** Makes the record durable; the answer waits for it. */
  record: (r: ExchangeRecord) => Promise<void>;
  /** Observers of every finished record (metrics), with the exchange it came from. They must not throw. */
  observers: ((r: ExchangeRecord, ex: Exchange) => void)[];
  log: Logger;
  now: () => number;
  maxBodyBytes: number;
  instance: string;
  /** Counts refusals of callers that could not be identified (which leave no record). */
  countUnidentified?: (errorType: string) => void;
  /** Why the node takes no new exchange now (e.g. its disk reserve is breached), checked first. */
  refuseNew?: () => TabadolError | undefined;
  /**
   * The provider half's door (src/node/exchange-routes.ts): requests come from a peer node over the
   * node port, under ROUTED_EXCHANGE_PREFIX, with the caller the consumer's node verified in
   * X-Road-Client and that node's X-Road-Id, X-Road-Request-Id and X-Road-Request-Hash, which this
   * node records as they are so that both records of the exchange join.
   */
  providerHalf?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** base64 of a SHA-512 digest. */
const SHA512_BASE64 = /^[A-Za-z0-9+/]{86}==$/;

type TlsInfo = Exchange['tls'];
const tlsBySocket = new WeakMap<object, TlsInfo>();

/** The TLS identity of a connection, read once per connection rather than once per request. */
function tlsInfo(req: IncomingMessage): TlsInfo {
  const socket = req.socket as TLSSocket;
  if (!socket.encrypted) return undefined;
  let info = tlsBySocket.get(socket);
  if (!info) {
    const cert = socket.getPeerCertificate();
    const hasCert = cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
    info = {
      authorized: socket.authorized,
      subsystem: socket.authorized ? subsystemIdOfPeer(cert) : undefined,
      // Upper-case hex, as X.509 tools print it: what a revocation names.
      serial: hasCert ? cert.serialNumber.toUpperCase() : undefined,
      reason: !hasCert ? 'no client certificate was presented' : socket.authorized ? undefined : `the certificate is not issued by this exchange (${String(socket.authorizationError)})`,
    };
    tlsBySocket.set(socket, info);
  }
  return info;
}

const EMPTY = Buffer.alloc(0);

/** Refusals that mean something is broken (node, provider, network), logged as errors; the rest
 * (bad requests, denied access, unknown services) are the exchange doing its job, logged as warnings. */
const FAULTS = new Set([
  Errors.InternalError, Errors.RecordFailed, Errors.ServiceFailed, Errors.ServiceTimeout,
  Errors.InvalidResponse, Errors.NetworkError, Errors.OutdatedSnapshot, Errors.NoSnapshot,
].map((e) => e.type));

/** No Content-Length and no Transfer-Encoding means no body (RFC 9112 §6.3): no stream to read. */
function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** The body's declared length, when it is declared (Node's parser has refused malformed ones). */
function declaredLength(req: IncomingMessage): number | undefined {
  const length = req.headers['content-length'];
  return length === undefined ? undefined : Number(length);
}

/**
 * The request body, or undefined as soon as it is over the limit: the rest is not read (the answer
 * closes the connection), so a chunked body cannot make the node read more than the limit either.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size <= limit) {
        chunks.push(c);
        return;
      }
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function createDoor(o: DoorOptions) {
  async function runStages(ex: Exchange): Promise<void> {
    for (const stage of o.pipeline.stages) {
      try {
        const pending = stage.run(ex);
        if (pending) await pending;
      } catch (e) {
        if (isTabadolError(e)) throw e;
        if (stage.failMode === 'open') {
          o.log.error({ cause: causeForLog(e), stage: stage.name, xroadId: ex.xroadId }, 'stage failed open');
          continue;
        }
        throw new TabadolError(Errors.InternalError, `stage ${stage.name}`, { cause: e });
      }
    }
  }

  function runMetaservice(ex: Exchange, target: Target): MetaAnswer {
    if (target.kind === 'service') throw new TabadolError(Errors.InternalError, 'not a metaservice');
    if (target.kind === 'listClients') {
      // Over TLS the caller must hold a valid certificate of this exchange, like every other caller;
      // X-Road-Client is optional here, the certificate names the subsystem.
      if (ex.tls || ex.clientHeader) {
        ex.clientHeader ??= ex.tls?.subsystem;
        o.pipeline.identifyCaller.run(ex);
      }
      return listClients(ex.snapshot, target.query, ex.headers.accept);
    }
    o.pipeline.identifyCaller.run(ex);
    if (target.kind === 'listMethods') return listMethods(ex.snapshot, target.providerId);
    if (target.kind === 'allowedMethods') return allowedMethods(ex.snapshot, target.providerId, ex.client!, o.now());
    return getOpenApi(ex.snapshot, target.providerId, target.query);
  }

  const unidentified = new UnidentifiedRefusals(o.log, o.now, 1000, o.countUnidentified);

  /** The verified caller, identifying it now if the exchange failed before the pipeline did. */
  function verifiedClient(ex: Exchange): string | undefined {
    if (ex.client || !ex.snapshot || !ex.clientHeader) return ex.client;
    try {
      o.pipeline.identifyCaller.run(ex);
    } catch {
      return undefined;
    }
    return ex.client;
  }

  let inFlight = 0;
  let drained: (() => void) | undefined;

  /** @param peerNode on the provider half: the node that routed the exchange here, as its certificate proved. */
  async function handle(req: IncomingMessage, res: ServerResponse, peerNode?: string): Promise<void> {
    inFlight++;
    try {
      await exchange(req, res, peerNode);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  }

  /** Resolves once no exchange is in progress (for an orderly stop: every one gets its record). */
  function idle(): Promise<void> {
    return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => { drained = resolve; });
  }

  return { handle, idle };

  async function exchange(req: IncomingMessage, res: ServerResponse, peerNode: string | undefined): Promise<void> {
    const startedPerf = performance.now();
    const startedAt = o.now();
    const routed = o.providerHalf === true;
    // undefined: over the size limit; null: the client went away before the body ended.
    // A declared length over the limit is refused before a byte of the body is read, and so is
    // any body of a TLS caller without a valid certificate: it will be refused whatever it sends.
    // On the provider half the peer node was authenticated by the node port; the caller's own TLS
    // was checked by the consumer's node.
    const tls = routed ? undefined : tlsInfo(req);
    const unverified = tls !== undefined && !tls.authorized;
    const length = declaredLength(req);
    const body = length !== undefined && length > o.maxBodyBytes ? undefined
      : hasBody(req) && !unverified ? await readBody(req, o.maxBodyBytes).catch(() => null) : EMPTY;
    const xh = readXRoadHeaders(req.rawHeaders);
    // A routed exchange keeps the ids and the hash the consumer's node gave it (checked below).
    const routedIds = routed && xh.id !== undefined && xh.requestId !== undefined && UUID.test(xh.requestId)
      && xh.requestHash !== undefined && SHA512_BASE64.test(xh.requestHash);
    const requestId = routedIds ? xh.requestId! : randomUUID();
    const generatedId = xh.id ? undefined : `${o.instance}-${randomUUID()}`;
    const xroadId = xh.id || generatedId!;
    const method = req.method ?? 'GET';
    const url = routed && req.url?.startsWith(ROUTED_EXCHANGE_PREFIX + '/') ? req.url.slice(ROUTED_EXCHANGE_PREFIX.length) : req.url ?? '/';
    const ex = {
      snapshot: o.snapshots.current!,
      xroadId,
      requestId,
      method,
      serviceId: '',
      servicePath: '',
      query: '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: body ?? EMPTY,
      requestHash: routedIds ? xh.requestHash! : requestHash(method, url, req.rawHeaders, requestId, generatedId, body ?? EMPTY),
      clientHeader: xh.client,
      userId: xh.userId,
      issue: xh.issue,
      representedParty: xh.representedParty,
      securityServer: xh.securityServer,
      routedFrom: peerNode,
      tls,
      startedAt,
      startedPerf,
    } satisfies Exchange as Exchange;

    let meta: MetaAnswer | undefined;
    try {
      const refusal = o.refuseNew?.();
      if (refusal) throw refusal;
      if (body === null) fail(Errors.BadRequest, 'the request body ended before its declared length');
      if (body === undefined) fail(Errors.BodyTooLarge, `limit ${o.maxBodyBytes} bytes`);
      if (xh.tooLong) fail(Errors.HeaderTooLong, xh.tooLong);
      checkPartyHeaders(xh);
      if (body.length > 0 && repeatedContentType(req.rawHeaders)) fail(Errors.BadRequest, 'Content-Type is repeated');
      if (!ex.snapshot) fail(Errors.NoSnapshot);
      if (startedAt >= ex.snapshot.validUntil) fail(Errors.OutdatedSnapshot, `valid until ${ex.snapshot.doc.validUntil}`);
      if (routed && !routedIds) fail(Errors.BadRequest, 'a routed exchange carries the X-Road-Id, X-Road-Request-Id and X-Road-Request-Hash of the consumer\'s node');
      const target = parseRequestTarget(url, method);
      if (routed && target.kind !== 'service') fail(Errors.BadRequest, 'only service requests are routed between nodes');
      if (target.kind === 'service') {
        ex.serviceId = target.serviceId;
        ex.servicePath = target.servicePath;
        ex.query = target.query;
        await runStages(ex);
      } else {
        ex.serviceId = target.kind === 'listClients' ? 'listClients' : `${target.providerId}/${target.kind}`;
        meta = runMetaservice(ex, target);
      }
    } catch (e) {
      ex.error = isTabadolError(e) ? e : new TabadolError(Errors.InternalError, undefined, { cause: e });
    }
    // Unread body bytes must not be taken for the next request on this connection, and a caller
    // without a valid certificate gets no kept-alive connection to try again on.
    if (body === undefined || unverified) res.setHeader('connection', 'close');
    await answer(ex, meta, req, res);
  }

  async function answer(ex: Exchange, meta: MetaAnswer | undefined, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let status: number;
    let headers: string[];
    let out: Buffer;
    const client = verifiedClient(ex);
    if (ex.error) {
      const detail = randomUUID();
      if (client) {
        // The reason names templates and identifiers, never the raw path, query or body; a cause
        // (a bug, a network error) is logged with its stack, which carries no request data.
        o.log[FAULTS.has(ex.error.type) ? 'error' : 'warn']({ detail, type: ex.error.type, reason: ex.error.message, xroadId: ex.xroadId, client, cause: causeForLog(ex.error.cause) }, 'exchange refused');
      } else {
        unidentified.refused(ex.error.type, req.socket.remoteAddress);
      }
      const e = errorBody(ex.error, detail, xmlTypeAsked(ex.headers.accept));
      status = ex.error.status;
      headers = ['content-type', e.contentType, 'x-road-error', ex.error.type];
      out = Buffer.from(e.body);
    } else if (meta) {
      status = meta.status;
      headers = ['content-type', meta.contentType];
      out = Buffer.from(meta.body);
      // X-Road names the metaservice as the service of the answer; listClients is outside /r1.
      if (ex.serviceId !== 'listClients') headers.push('x-road-service', ex.serviceId);
    } else {
      const r = ex.response!;
      status = r.status;
      headers = consumerResponseHeaders(r.headers);
      out = r.body;
    }

    // Only a verified caller's exchange enters the legal record; the rest were counted above.
    const record = client ? toRecord(ex, client, status, out) : undefined;
    if (record) for (const observe of o.observers) observe(record, ex);
    if (!client && !ex.error) {
      // Answered without a caller: only listClients on the development port can be.
      unidentified.refused('none', req.socket.remoteAddress);
    }
    try {
      if (record) await o.record(record);
    } catch (e) {
      // Without a durable record the answer is withheld: the caller learns it was not recorded.
      const err = isTabadolError(e) ? e : new TabadolError(Errors.RecordFailed, (e as Error).message);
      const detail = randomUUID();
      // A breached disk reserve is logged once by the reserve itself, not once per refusal.
      if (err.spec === Errors.DiskReserve) o.log.debug({ detail, xroadId: ex.xroadId }, 'disk reserve breached; answer withheld');
      else o.log.error({ detail, cause: causeForLog(e), xroadId: ex.xroadId }, 'record failed; answer withheld');
      const eb = errorBody(err, detail, xmlTypeAsked(ex.headers.accept));
      status = err.status;
      headers = ['content-type', eb.contentType, 'x-road-error', err.type];
      out = Buffer.from(eb.body);
    }

    headers.push('x-road-id', ex.xroadId, 'x-road-request-id', ex.requestId, 'x-road-request-hash', ex.requestHash, 'content-length', String(out.length));
    if (ex.client) headers.push('x-road-client', ex.client);
    if (ex.service) headers.push('x-road-service', ex.service.id);
    res.writeHead(status, headers);
    res.end(out);
  }

  function toRecord(ex: Exchange, client: string, status: number, out: Buffer): ExchangeRecord {
    const finishedPerf = performance.now();
    return {
      xroadId: ex.xroadId,
      requestId: ex.requestId,
      client,
      service: ex.serviceId || null,
      endpoint: ex.endpoint?.key ?? null,
      userId: ex.userId ?? null,
      issue: ex.issue ?? null,
      representedParty: ex.representedParty ?? null,
      subjectHash: ex.subjectHash ?? null,
      timeIn: new Date(ex.startedAt).toISOString(),
      timeOut: new Date(ex.startedAt + (finishedPerf - ex.startedPerf)).toISOString(),
      durationUs: Math.round((finishedPerf - ex.startedPerf) * 1000),
      providerUs: ex.providerMs === undefined ? null : Math.round(ex.providerMs * 1000),
      status,
      errorType: ex.error?.type ?? null,
      requestSize: ex.body.length,
      responseSize: out.length,
      // The same value the caller got in X-Road-Request-Hash: it joins the record to the answer.
      requestHash: ex.requestHash,
      responseHash: hash('sha512', out, 'base64'),
      // Read now, not when routed: the call stage leaves the route on the node that carried the
      // exchange. On the provider half, the node that routed it here.
      peerNode: ex.route?.nodeId ?? ex.routedFrom ?? null,
    };
  }
}
