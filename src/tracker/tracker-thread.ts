// The data tracker's own thread: a small HTTP server on 127.0.0.1 and a read-only connection to
// records.db. It runs beside the data plane, never on its event loop: its queries are synchronous
// (better-sqlite3), so they live here, where a slow page holds up nothing but the tracker.
//
// Threat notes.
// - Who can reach it: anything on this machine can connect to its loopback port, bypassing the
//   exchange's access rights, records and rate limits. So it answers only inquiries that prove they
//   passed this node's data plane: the data plane sends the subject's keyed hash with them
//   (TRACKER_PROOF_HEADER, added in call-provider.ts for the tracker service only), which only a
//   holder of the node's subject key can compute; the tracker recomputes it from the national code
//   in the body and refuses (403) a request whose proof is missing, repeated or wrong. The caller's
//   identity (X-Road-Client) is trusted only on such a request: the data plane replaces any
//   X-Road-Client the consumer sent with the verified one.
//   Replaying a proof needs the pair (national code, hash): the hash is never logged or answered,
//   and records.db holds hashes without the codes they belong to.
// - Everything from outside is bounded: headers within 5 s, the whole request within 10 s, a body of
//   at most 4 KiB (declared or streamed), JSON of the contract's five fields with bounded lengths, at
//   most 100 entries a page; the query uses the subject index and stops at limit + 1 rows.
// - Nothing personal leaves in a log line or an error: errors name fields, never values; the
//   thread logs nothing itself and reports only coded reasons to the node's log.
// - Read-only: the connection is opened with `readonly: true`; the tracker cannot alter a record.
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { subjectHash } from '../identifiers/subject-hash.ts';
import { readInquiry, usagePage } from './inquiry.ts';
import { prepareUsageQuery } from './query.ts';
import type { Directory } from './directory.ts';
import { TRACKER_PROOF_HEADER } from './tracker-id.ts';

export interface TrackerThreadData {
  recordsFile: string;
  subjectKey: Uint8Array;
  /** The port to try first (the one the registry already names), 0 for any. */
  port: number;
}

export type TrackerThreadMessage =
  | { ready: number }
  | { failed: string }
  | { problem: string };

const MAX_BODY = 4096;
const data = workerData as TrackerThreadData;
const subjectKey = Buffer.from(data.subjectKey);
let directory: Directory | undefined;
let query: ReturnType<typeof prepareUsageQuery> | undefined;
let db: Database.Database | undefined;

parentPort!.on('message', (m: { directory?: Directory }) => {
  if (m.directory) directory = m.directory;
});

/** Opened on first use, and again after a failure: records.db may not exist yet when the tracker starts. */
function usageQuery() {
  if (!query) {
    db = new Database(data.recordsFile, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    query = prepareUsageQuery(db);
  }
  return query;
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text);
}

function refuse(res: http.ServerResponse, e: TabadolError, close = false): void {
  if (close) res.setHeader('connection', 'close');
  answer(res, e.status, { type: e.type, message: e.message });
}

/** The one proof header, or undefined when it is absent or repeated (raw headers keep repeats apart). */
function proofOf(req: http.IncomingMessage): string | undefined {
  let proof: string | undefined;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() !== TRACKER_PROOF_HEADER) continue;
    if (proof !== undefined) return undefined;
    proof = req.rawHeaders[i + 1]!;
  }
  return proof;
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) { resolve(undefined); req.pause(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

function proven(proof: string, expected: string): boolean {
  const a = Buffer.from(proof);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0];
  if (req.method !== 'POST' || path !== '/usage') return refuse(res, new TabadolError(Errors.TrackerNotFound), true);
  const proof = proofOf(req);
  // Refused before the body is read: a caller without a proof costs a header parse.
  if (proof === undefined) return refuse(res, new TabadolError(Errors.TrackerForbidden), true);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (!(declared <= MAX_BODY)) return refuse(res, new TabadolError(Errors.TrackerInvalidInput, 'the body is too large'), true);
  const body = await readBody(req);
  if (body === undefined) return refuse(res, new TabadolError(Errors.TrackerInvalidInput, 'the body is too large'), true);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return refuse(res, new TabadolError(Errors.TrackerInvalidInput, 'the body is not JSON'));
  }
  const inquiry = readInquiry(parsed);
  const hash = subjectHash(subjectKey, inquiry.nationalCode);
  if (!proven(proof, hash)) return refuse(res, new TabadolError(Errors.TrackerForbidden), true);
  const dir = directory;
  if (!dir) return refuse(res, new TabadolError(Errors.TrackerUnavailable, 'no registry snapshot yet'));
  const caller = req.headers['x-road-client'];
  if (typeof caller !== 'string') return refuse(res, new TabadolError(Errors.TrackerForbidden));
  let rows;
  try {
    rows = usageQuery()({
      subjectHash: hash, fromIso: inquiry.fromIso, toIso: inquiry.toIso, after: inquiry.after, limit: inquiry.limit,
      trackerService: dir.trackerServiceId, caller,
    });
  } catch (e) {
    query = undefined;
    db?.close();
    db = undefined;
    parentPort!.postMessage({ problem: `records could not be read (${(e as { code?: string }).code ?? 'error'})` } satisfies TrackerThreadMessage);
    return refuse(res, new TabadolError(Errors.TrackerUnavailable));
  }
  answer(res, 200, usagePage(rows, inquiry, dir, dir.inspectors.includes(caller)));
}

const server = http.createServer({ headersTimeout: 5000, requestTimeout: 10_000, keepAliveTimeout: 65_000, connectionsCheckingInterval: 1000 }, (req, res) => {
  handle(req, res).catch((e: unknown) => {
    if (res.headersSent) return;
    refuse(res, e instanceof TabadolError ? e : new TabadolError(Errors.TrackerUnavailable));
  });
});

function listen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => { server.off('error', reject); resolve((server.address() as { port: number }).port); });
  });
}

// The port the registry already names keeps the base URL (and the snapshot) unchanged across
// restarts; when it is taken, any free port, and the node re-registers the address.
listen(data.port).catch(() => listen(0)).then(
  (port) => parentPort!.postMessage({ ready: port } satisfies TrackerThreadMessage),
  (e: unknown) => parentPort!.postMessage({ failed: (e as { code?: string }).code ?? 'listen failed' } satisfies TrackerThreadMessage),
);
