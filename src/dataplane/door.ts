// The data port's request handler: reads the request, runs the pipeline (or a metaservice), has
// the record made durable, then answers. A response leaves only after its record is durable.
import { hash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';
import { Errors, fail, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import { subsystemIdOfPeer } from '../identity/certificates.ts';
import type { ExchangeRecord } from '../records/record.ts';
import type { Exchange } from './exchange.ts';
import { parseRequestTarget, type Target } from './protocol/r1-url.ts';
import { consumerResponseHeaders, readXRoadHeaders, requestHash } from './protocol/headers.ts';
import { errorBody, wantsXml } from './protocol/error-reply.ts';
import { allowedMethods, getOpenApi, listMethods, type MetaAnswer } from './metaservices.ts';
import type { SnapshotHolder } from './snapshot-holder.ts';
import type { Pipeline } from './pipeline.ts';

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
}

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

/** The request body, or undefined when it is over the limit. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on('end', () => resolve(tooLarge ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
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
          o.log.error({ err: e, stage: stage.name, xroadId: ex.xroadId }, 'stage failed open');
          continue;
        }
        throw new TabadolError(Errors.InternalError, `stage ${stage.name}`, { cause: e });
      }
    }
  }

  function runMetaservice(ex: Exchange, target: Target): MetaAnswer {
    if (target.kind === 'listClients') return { status: 200, body: ex.snapshot.listClientsBody };
    if (target.kind === 'service') throw new TabadolError(Errors.InternalError, 'not a metaservice');
    o.pipeline.identifyCaller.run(ex);
    if (target.kind === 'listMethods') return listMethods(ex.snapshot, target.providerId);
    if (target.kind === 'allowedMethods') return allowedMethods(ex.snapshot, target.providerId, ex.client!, o.now());
    return getOpenApi(ex.snapshot, target.providerId, target.query);
  }

  let inFlight = 0;
  let drained: (() => void) | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    inFlight++;
    try {
      await exchange(req, res);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  }

  /** Resolves once no exchange is in progress (for an orderly stop: every one gets its record). */
  function idle(): Promise<void> {
    return inFlight === 0 ? Promise.resolve() : new Promise((resolve) => { drained = resolve; });
  }

  return { handle, idle };

  async function exchange(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedPerf = performance.now();
    const startedAt = o.now();
    // undefined: over the size limit; null: the client went away before the body ended.
    const body = hasBody(req) ? await readBody(req, o.maxBodyBytes).catch(() => null) : EMPTY;
    const xh = readXRoadHeaders(req.rawHeaders);
    const hashes = requestHash(req.rawHeaders, body ?? EMPTY);
    const ex = {
      snapshot: o.snapshots.current!,
      xroadId: xh.id || `${o.instance}-${randomUUID()}`,
      requestId: randomUUID(),
      method: req.method ?? 'GET',
      serviceId: '',
      servicePath: '',
      query: '',
      headers: req.headers,
      rawHeaders: req.rawHeaders,
      body: body ?? EMPTY,
      requestHash: hashes.requestHash,
      clientHeader: xh.client,
      userId: xh.userId,
      issue: xh.issue,
      representedParty: xh.representedParty,
      tls: tlsInfo(req),
      startedAt,
      startedPerf,
    } satisfies Exchange as Exchange;

    let meta: MetaAnswer | undefined;
    try {
      if (body === null) fail(Errors.BadRequest, 'the request body ended before its declared length');
      if (body === undefined) fail(Errors.BodyTooLarge, `limit ${o.maxBodyBytes} bytes`);
      if (!ex.snapshot) fail(Errors.NoSnapshot);
      if (startedAt >= ex.snapshot.validUntil) fail(Errors.OutdatedSnapshot, `valid until ${ex.snapshot.doc.validUntil}`);
      const target = parseRequestTarget(req.url ?? '/');
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
    await answer(ex, meta, res, hashes.bodyHash);
  }

  async function answer(ex: Exchange, meta: MetaAnswer | undefined, res: ServerResponse, requestBodyHash: Buffer): Promise<void> {
    let status: number;
    let headers: string[];
    let out: Buffer;
    if (ex.error) {
      const detail = randomUUID();
      o.log[FAULTS.has(ex.error.type) ? 'error' : 'warn']({ detail, type: ex.error.type, reason: ex.error.message, xroadId: ex.xroadId, err: ex.error.cause }, 'exchange refused');
      const e = errorBody(ex.error, detail, wantsXml(ex.headers.accept));
      status = ex.error.status;
      headers = ['content-type', e.contentType, 'x-road-error', ex.error.type];
      out = Buffer.from(e.body);
    } else if (meta) {
      status = meta.status;
      headers = ['content-type', 'application/json; charset=utf-8'];
      out = Buffer.from(meta.body);
    } else {
      const r = ex.response!;
      status = r.status;
      headers = consumerResponseHeaders(r.headers);
      out = r.body;
    }

    const record = toRecord(ex, status, out, requestBodyHash);
    for (const observe of o.observers) observe(record, ex);
    try {
      await o.record(record);
    } catch (e) {
      // Without a durable record the answer is withheld: the caller learns it was not recorded.
      const err = isTabadolError(e) ? e : new TabadolError(Errors.RecordFailed, (e as Error).message);
      const detail = randomUUID();
      o.log.error({ detail, err: e, xroadId: ex.xroadId }, 'record failed; answer withheld');
      const eb = errorBody(err, detail, wantsXml(ex.headers.accept));
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

  function toRecord(ex: Exchange, status: number, out: Buffer, requestBodyHash: Buffer): ExchangeRecord {
    const finishedPerf = performance.now();
    return {
      xroadId: ex.xroadId,
      requestId: ex.requestId,
      client: ex.client ?? ex.clientHeader ?? null,
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
      requestHash: requestBodyHash.toString('base64'),
      responseHash: hash('sha512', out, 'base64'),
    };
  }
}
