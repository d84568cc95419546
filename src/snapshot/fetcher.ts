// The data plane's side of distribution: polls a snapshot endpoint (endpoint.ts) over HTTP, verifies
// each new version with the snapshot public key, never goes back to an older version (nor takes
// other content under the version it holds), keeps the newest verified version on disk, and starts
// from that copy when the source cannot be reached. It holds no signing key and opens no database:
// what it serves from is only ever a document the snapshot key signed.
// The same fetcher serves a provincial node fetching from the centre: the URL and the undici
// dispatcher (mutual TLS on the node-to-node port) are the caller's.
import type { KeyObject } from 'node:crypto';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { request, type Dispatcher } from 'undici';
import { Counter, Gauge, type Registry } from 'prom-client';
import { Errors, fail, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import type { SignedSnapshot, SnapshotDocument } from './document.ts';
import { verifySnapshot } from './signature.ts';
import { etagOf, parseEnvelope, toEnvelope } from './envelope.ts';

export interface SnapshotSource {
  /** The endpoint, e.g. http://127.0.0.1:PORT/v1/snapshot (the local control plane) or the centre's. */
  url: string;
  /** The snapshot-signing key's public half: the only key a fetched snapshot is checked with. */
  verifyKey: KeyObject;
  /** Where the newest verified version is kept (`<dataDir>/snapshot-cache`). */
  cacheDir: string;
  /** The cache file's name in cacheDir: one per data plane, so processes never overwrite each other. */
  cacheName?: string;
  /** How to reach the URL (an undici Agent with the node's client certificate, for another node). */
  dispatcher?: Dispatcher;
}

export interface FetcherOptions {
  source: SnapshotSource;
  intervalMs: number;
  log: Logger;
  now: () => number;
  /** Takes a verified, newer version (the data plane's snapshot holder); a throw refuses it. */
  accept: (signed: SignedSnapshot, doc: SnapshotDocument) => void;
  /** Where the fetcher's gauges go (the data plane's /metrics). */
  metrics?: Registry;
}

/** A snapshot of a national registry is megabytes; a source that sends more is refused. */
const MAX_BYTES = 256 * 1024 * 1024;
/** While the source stays down, the warning is repeated at most this often. */
const REPEAT_WARNING_MS = 60_000;

const REFUSED_AGAIN = Symbol('refused again');

interface Held { signed: SignedSnapshot; validUntil: number; validUntilText: string; etag: string }

export class SnapshotFetcher {
  private held: Held | undefined;
  private lastSuccess = 0;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private sourceDown = false;
  private lastWarning = 0;
  /** The version whose expiry was logged: said once per version, not at every poll. */
  private expiredLogged = 0;
  /** The tag of the last version refused: named in If-None-Match so the source does not resend it
   * at every poll, and so that a source offering nothing else is not counted as a success. */
  private refusedEtag: string | undefined;
  private readonly failures: Counter<'reason'> | undefined;

  private constructor(private readonly o: FetcherOptions) {
    const registers = o.metrics ? [o.metrics] : [];
    if (!o.metrics) return;
    const self = this;
    // Workers of one node are aggregated by their primary: the worst of them is what counts.
    new Gauge({
      name: 'tabadol_snapshot_expires_in_seconds', help: 'Seconds until the snapshot this data plane runs on expires (negative: expired, exchanges are refused as Server.ServerProxy.OutdatedGlobalConf)',
      registers, aggregator: 'min',
      collect() { this.reset(); if (self.held) this.set((self.held.validUntil - self.o.now()) / 1000); },
    });
    new Gauge({
      name: 'tabadol_snapshot_last_fetch_timestamp_seconds', help: 'When the snapshot source last answered with a valid snapshot (or "not modified"), Unix time; 0: never since start',
      registers, aggregator: 'min',
      collect() { this.set(self.lastSuccess / 1000); },
    });
    new Gauge({
      name: 'tabadol_snapshot_version', help: 'Version of the snapshot this data plane runs on', registers, aggregator: 'min',
      collect() { this.set(self.held?.signed.version ?? 0); },
    });
    this.failures = new Counter({
      name: 'tabadol_snapshot_fetch_failures_total', help: 'Snapshot fetches that failed or were refused, by reason (unreachable, invalid, rollback)',
      labelNames: ['reason'] as const, registers,
    });
  }

  /** Loads the cached copy, fetches once (a failure is logged, not thrown) and polls from then on. */
  static async start(o: FetcherOptions): Promise<SnapshotFetcher> {
    const f = new SnapshotFetcher(o);
    await f.loadCache();
    await f.poll();
    f.timer = setInterval(() => { void f.poll(); }, o.intervalMs);
    f.timer.unref();
    return f;
  }

  get version(): number {
    return this.held?.signed.version ?? 0;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Fetches now. A call made while a poll runs gets one more fetch after it, since that poll may
   * have asked before the change the caller knows of. Never throws: the log says why. */
  poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = (async () => {
      try {
        do {
          this.pollAgain = false;
          await this.fetchOnce();
        } while (this.pollAgain);
      } finally {
        this.polling = undefined;
      }
    })();
    return this.polling;
  }

  private get cacheFile(): string {
    return path.join(this.o.source.cacheDir, `${this.o.source.cacheName ?? 'snapshot'}.json`);
  }

  private async loadCache(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.cacheFile, 'utf8');
    } catch {
      return;
    }
    try {
      const e = parseEnvelope(text);
      const signed = { version: e.version, document: e.document, signature: e.signature };
      const doc = verifySnapshot(signed, this.o.source.verifyKey);
      this.o.accept(signed, doc);
      this.hold(signed, doc);
      this.o.log.info({ version: signed.version, validUntil: doc.validUntil }, 'snapshot loaded from the disk cache');
    } catch (e) {
      // A cache that does not verify (damaged, or written under another key) is not served from.
      this.o.log.error({ err: e, file: this.cacheFile }, 'the cached snapshot does not verify; ignoring it');
    }
  }

  private hold(signed: SignedSnapshot, doc: SnapshotDocument): void {
    this.held = { signed, validUntil: Date.parse(doc.validUntil), validUntilText: doc.validUntil, etag: etagOf(signed) };
  }

  private async fetchOnce(): Promise<void> {
    let offered: SignedSnapshot | undefined;
    try {
      const signed = await this.download();
      if (signed === REFUSED_AGAIN) return;
      offered = signed;
      if (signed) await this.take(signed);
      this.lastSuccess = this.o.now();
      if (this.sourceDown) this.o.log.info({ version: this.version }, 'snapshot source reachable again');
      this.sourceDown = false;
    } catch (e) {
      const reason = isTabadolError(e) && e.spec === Errors.SnapshotFetchFailed ? 'unreachable'
        : isTabadolError(e) && e.spec === Errors.SnapshotRollback ? 'rollback' : 'invalid';
      if (offered && reason !== 'unreachable') this.refusedEtag = etagOf(offered);
      this.failures?.inc({ reason });
      this.report(e, reason);
    } finally {
      this.checkExpiry();
    }
  }

  /** The envelope when the source has something other than what is held; undefined for 304. */
  private async download(): Promise<SignedSnapshot | undefined | typeof REFUSED_AGAIN> {
    const known = [this.held?.etag, this.refusedEtag].filter((t) => t !== undefined);
    let res: Dispatcher.ResponseData;
    try {
      res = await request(this.o.source.url, {
        dispatcher: this.o.source.dispatcher,
        headers: known.length > 0 ? { 'if-none-match': known.join(', ') } : {},
        headersTimeout: 10_000,
        bodyTimeout: 60_000,
      });
    } catch (e) {
      fail(Errors.SnapshotFetchFailed, (e as Error).message, e);
    }
    if (res.statusCode === 304) {
      await res.body.dump();
      return this.refusedEtag !== undefined && res.headers.etag === this.refusedEtag ? REFUSED_AGAIN : undefined;
    }
    if (res.statusCode !== 200) {
      await res.body.dump();
      fail(Errors.SnapshotFetchFailed, `the source answered ${res.statusCode}`);
    }
    const length = Number(res.headers['content-length'] ?? 0);
    if (length > MAX_BYTES) {
      await res.body.dump();
      fail(Errors.SnapshotInvalid, `the source offered ${length} bytes, more than ${MAX_BYTES}`);
    }
    let text: string;
    try {
      text = await res.body.text();
    } catch (e) {
      fail(Errors.SnapshotFetchFailed, (e as Error).message, e);
    }
    const e = parseEnvelope(text);
    return { version: e.version, document: e.document, signature: e.signature };
  }

  private async take(signed: SignedSnapshot): Promise<void> {
    const held = this.held?.signed;
    // Never backwards: an older version, or other content under the held version, is a source
    // replaying or forging history (X-Road's global configuration is versioned the same way).
    if (held && signed.version < held.version) fail(Errors.SnapshotRollback, `version ${signed.version} offered, version ${held.version} held`);
    if (held && signed.version === held.version) {
      if (signed.document !== held.document || signed.signature !== held.signature) fail(Errors.SnapshotRollback, `other content offered under the held version ${held.version}`);
      return;
    }
    const doc = verifySnapshot(signed, this.o.source.verifyKey);
    this.o.accept(signed, doc);
    this.hold(signed, doc);
    this.o.log.info({ version: signed.version, validUntil: doc.validUntil }, 'snapshot loaded');
    try {
      await this.writeCache(signed, doc.validUntil);
    } catch (e) {
      // The snapshot is already served from memory; only a restart without the source is at stake.
      this.o.log.error({ err: e, file: this.cacheFile }, 'writing the snapshot cache failed');
    }
  }

  /** Temp file, fsync, rename (POSIX rename(2) replaces atomically): a crash leaves the old or the new copy, whole. */
  private async writeCache(signed: SignedSnapshot, validUntil: string): Promise<void> {
    await mkdir(this.o.source.cacheDir, { recursive: true, mode: 0o700 });
    const temp = `${this.cacheFile}.${process.pid}.tmp`;
    const fh = await open(temp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(toEnvelope(signed, validUntil)));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, this.cacheFile);
  }

  private report(e: unknown, reason: string): void {
    const now = this.o.now();
    const detail = e instanceof TabadolError ? e.message : (e as Error).message;
    if (reason !== 'unreachable') {
      this.o.log.error({ reason, detail, kept: this.version }, 'snapshot refused; keeping the one held');
      return;
    }
    if (this.sourceDown && now - this.lastWarning < REPEAT_WARNING_MS) return;
    this.sourceDown = true;
    this.lastWarning = now;
    this.o.log.warn({ detail, version: this.version, validUntil: this.held?.validUntilText ?? null,
      expiresInSeconds: this.held ? Math.round((this.held.validUntil - now) / 1000) : null },
    this.held && now < this.held.validUntil ? 'snapshot source unreachable: serving the held snapshot until it expires'
      : 'snapshot source unreachable and no valid snapshot held: exchanges are refused (Server.ServerProxy.OutdatedGlobalConf)');
  }

  private checkExpiry(): void {
    if (!this.held || this.o.now() < this.held.validUntil || this.expiredLogged === this.held.signed.version) return;
    this.expiredLogged = this.held.signed.version;
    this.o.log.error({ version: this.version, validUntil: this.held.validUntilText },
      'snapshot expired: every exchange is refused (Server.ServerProxy.OutdatedGlobalConf) until a newer one is fetched');
  }
}
