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
// - Across nodes (across-nodes.ts): on the central node the tracker also asks every provincial node
//   of the snapshot over the node-to-node port, with the inquiry itself (each node hashes with its
//   own subject key), and merges their rows with its own, newest first. A node that does not answer
//   within a few seconds is named in the answer's `incomplete`; it never fails the answer. The
//   thread opens no registry: the nodes and revocations come with the snapshot's names.
// - An exchange between two nodes is listed as the asking agency's node recorded it; when that node
//   is one not reached, as the provider's node recorded it (its `<node>/routed` chain, the entry's
//   `node`): once the search is over, this thread reads its own routed chain for exactly the nodes
//   not reached (one more indexed page, limit + 1 rows), and keeps from each searched node's routed
//   page the rows those nodes routed (node-search.ts says why they come unfiltered).
import http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { subjectHash } from '../identifiers/subject-hash.ts';
import { readInquiry, usagePage } from './inquiry.ts';
import { prepareRoutedQuery, prepareUsageQuery, type NodeUsageRow } from './query.ts';
import { NodeSearcher, type NodesSearched } from './across-nodes.ts';
import { mergePage, routedOfUnreached } from './node-search.ts';
import type { Position } from './cursor.ts';
import type { Directory } from './directory.ts';
import { TRACKER_PROOF_HEADER } from './tracker-id.ts';

export interface TrackerThreadData {
  recordsFile: string;
  /** The node's data directory: its node certificate, to ask other nodes with. */
  dataDir: string;
  /** This node, and the chain of exchanges other nodes routed to it (left out when merging). */
  nodeId: string;
  routedChainId: string;
  subjectKey: Uint8Array;
  /** The port to try first (the one the registry already names), 0 for any. */
  port: number;
}

export type TrackerThreadMessage =
  | { ready: number }
  | { failed: string }
  | { problem: string }
  /** A node that could not be searched: the answer named it in `incomplete`. */
  | { notSearched: { node: string; reason: string } };

const MAX_BODY = 4096;
const data = workerData as TrackerThreadData;
const subjectKey = Buffer.from(data.subjectKey);
let directory: Directory | undefined;
let query: { usage: ReturnType<typeof prepareUsageQuery>; routed: ReturnType<typeof prepareRoutedQuery> } | undefined;
let db: Database.Database | undefined;
let revoked: ReadonlySet<string> = new Set();
const searcher = new NodeSearcher({ dataDir: data.dataDir, revokedSerials: () => revoked, now: Date.now });

parentPort!.on('message', (m: { directory?: Directory }) => {
  if (m.directory) {
    directory = m.directory;
    revoked = new Set(m.directory.revokedSerials);
  }
});

/** Opened on first use, and again after a failure: records.db may not exist yet when the tracker starts. */
function usageQuery() {
  if (!query) {
    db = new Database(data.recordsFile, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 2000');
    query = { usage: prepareUsageQuery(db), routed: prepareRoutedQuery(db) };
  }
  return query;
}

/** Reads this node's store; a failure closes the connection (the next inquiry opens it again) and says why by code. */
function readOwn<T>(read: (q: NonNullable<typeof query>) => T): T | undefined {
  try {
    return read(usageQuery());
  } catch (e) {
    query = undefined;
    db?.close();
    db = undefined;
    parentPort!.postMessage({ problem: `records could not be read (${(e as { code?: string }).code ?? 'error'})` } satisfies TrackerThreadMessage);
    return undefined;
  }
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
  const inspector = dir.inspectors.includes(caller);
  const others = dir.provinces.filter((n) => n.id !== data.nodeId);
  // Asked first, so that the nodes search while this thread reads its own store.
  const remote = others.length === 0 ? undefined : searcher.search(others, {
    nationalCode: inquiry.nationalCode, fromIso: inquiry.fromIso, toIso: inquiry.toIso, limit: inquiry.limit,
    ...(inquiry.after ? { after: inquiry.after } : {}), caller, userIds: inspector,
  });
  const asked = {
    subjectHash: hash, fromIso: inquiry.fromIso, toIso: inquiry.toIso, nodeId: data.nodeId, after: inquiry.after, limit: inquiry.limit,
    trackerService: dir.trackerServiceId, caller,
  };
  const own = readOwn((q) => q.usage({ ...asked, leaveOutChain: others.length === 0 ? null : data.routedChainId }));
  const searched: NodesSearched = remote === undefined ? { answers: [], incomplete: [], problems: [] } : await remote;
  for (const p of searched.problems) parentPort!.postMessage({ notSearched: p } satisfies TrackerThreadMessage);
  // Known only now: the nodes not reached, whose exchanges this node and the searched ones recorded as providers.
  const unreached = new Set(searched.incomplete);
  const ownRouted = unreached.size === 0 ? [] : readOwn((q) => q.routed({ ...asked, routedChainId: data.routedChainId, routedBy: { only: [...unreached] } }));
  if (own === undefined || ownRouted === undefined) return refuse(res, new TabadolError(Errors.TrackerUnavailable));
  const lists: NodeUsageRow[][] = [own.map((r) => ({ ...r, node: data.nodeId })), ownRouted.map((r) => ({ ...r, node: data.nodeId }))];
  const horizons: Position[] = [];
  for (const a of searched.answers) {
    const kept = routedOfUnreached(a, unreached);
    lists.push(a.rows, kept.rows);
    if (kept.horizon) horizons.push(kept.horizon);
  }
  answer(res, 200, usagePage(mergePage(lists, inquiry.limit, horizons), inquiry, dir, inspector, searched.incomplete));
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
