// Serves the newest verified snapshot over HTTP: `GET /v1/snapshot` answers the envelope
// (envelope.ts) with a strong ETag, and `If-None-Match` with that tag answers 304 (RFC 9110 §13.1.2,
// §15.4.5), so a poll that finds nothing new costs a few hundred bytes. The handler takes whatever
// `current()` holds: the control plane's publication (publication.ts) on the node that signs, or a
// fetched snapshot on a node that relays one. It is a plain Node handler so that the same answer can
// be mounted on the loopback port local data planes poll and on the node-to-node port.
// The document is signed, so the transport needs no integrity of its own; it is the registry's
// catalogue (services, contracts, rights), not citizens' data.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Errors, type ErrorSpec } from '../errors/catalogue.ts';
import type { SignedSnapshot } from './document.ts';
import { etagOf, toEnvelope } from './envelope.ts';

export const SNAPSHOT_PATH = '/v1/snapshot';

/** One version ready to serve: its answer body is made once, not per request. */
export interface ServedSnapshot {
  signed: SignedSnapshot;
  validUntil: string;
  etag: string;
  body: Buffer;
}

export function servedSnapshot(signed: SignedSnapshot, validUntil: string): ServedSnapshot {
  return { signed, validUntil, etag: etagOf(signed), body: Buffer.from(JSON.stringify(toEnvelope(signed, validUntil))) };
}

function refuse(res: http.ServerResponse, spec: ErrorSpec, headers: Record<string, string> = {}): void {
  res.writeHead(spec.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify({ type: spec.type, message: spec.message }));
}

/** Whether an If-None-Match field value names `etag` (RFC 9110 §13.1.2: weak comparison, or "*"). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => { const v = t.trim(); return v === '*' || v.replace(/^W\//, '') === bare; });
}

export function snapshotHandler(current: () => ServedSnapshot | undefined): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const pathOnly = (req.url ?? '').split('?')[0];
    if (pathOnly !== SNAPSHOT_PATH) return refuse(res, Errors.UnknownRoute);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, Errors.MethodNotAllowed, { allow: 'GET, HEAD' });
    const s = current();
    if (!s) return refuse(res, Errors.SnapshotUnavailable, { 'retry-after': '1' });
    const headers = { etag: s.etag, 'cache-control': 'no-cache', 'x-tabadol-snapshot-version': String(s.signed.version), 'x-tabadol-snapshot-valid-until': s.validUntil };
    if (matches(req.headers['if-none-match'], s.etag)) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': 'application/json', 'content-length': String(s.body.length) });
    res.end(req.method === 'HEAD' ? undefined : s.body);
  };
}

export interface SnapshotEndpoint { url: string; port: number; close(): Promise<void> }

/** The endpoint on its own port; loopback unless told otherwise, for the node's own data planes. */
export async function startSnapshotEndpoint(current: () => ServedSnapshot | undefined, o: { host?: string; port?: number } = {}): Promise<SnapshotEndpoint> {
  const host = o.host ?? '127.0.0.1';
  const server = http.createServer({ keepAliveTimeout: 65_000, headersTimeout: 10_000, requestTimeout: 30_000 }, snapshotHandler(current));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}${SNAPSHOT_PATH}`,
    port,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
