// The disk reserve: below a free-space watermark on the records' file system the node takes no new
// exchanges, rather than run the disk full and fail in the middle of a commit (or leave the
// registry, the logs and the checkpoints no room). Free space is read with an asynchronous statfs
// on a timer; the request path reads only the boolean it keeps.
import { statfs } from 'node:fs/promises';
import type { Logger } from 'pino';
import { Errors, TabadolError } from '../errors/catalogue.ts';

export interface FreeSpace { freeBytes: number; totalBytes: number }
/** Free and total bytes of the file system holding a directory. */
export type FreeSpaceSource = (dir: string) => Promise<FreeSpace>;

/** Space an unprivileged process may still use (bavail, not bfree: root's reserved blocks are not ours). */
export const statfsFreeSpace: FreeSpaceSource = async (dir) => {
  const s = await statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
};

/** The watermark: a size in bytes, or a share of the file system in percent. 0 disables it. */
export type DiskWatermark = { bytes: number } | { percent: number };

export interface DiskReserveOptions {
  dir: string;
  minFree: DiskWatermark;
  intervalMs: number;
  freeSpace?: FreeSpaceSource;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
}

export class DiskReserve {
  /** True while free space is below the watermark: new exchanges are refused. */
  breached = false;
  freeBytes = 0;
  totalBytes = 0;
  /** The watermark in bytes, for the file system as last measured. */
  reserveBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking = false;
  private unreadable = false;
  private readonly freeSpace: FreeSpaceSource;

  private constructor(private readonly o: DiskReserveOptions) {
    this.freeSpace = o.freeSpace ?? statfsFreeSpace;
  }

  /** Measures once before the node takes traffic, then on every interval. */
  static async start(o: DiskReserveOptions): Promise<DiskReserve> {
    const r = new DiskReserve(o);
    await r.check();
    r.timer = setInterval(() => void r.check(), o.intervalMs);
    r.timer.unref();
    return r;
  }

  async check(): Promise<void> {
    if (this.checking) return;
    this.checking = true;
    try {
      const { freeBytes, totalBytes } = await this.freeSpace(this.o.dir);
      if (this.unreadable) this.o.log.info({ dir: this.o.dir }, 'free disk space readable again');
      this.unreadable = false;
      this.freeBytes = freeBytes;
      this.totalBytes = totalBytes;
      this.reserveBytes = 'bytes' in this.o.minFree ? this.o.minFree.bytes : Math.ceil(totalBytes * this.o.minFree.percent / 100);
      const breached = freeBytes < this.reserveBytes;
      if (breached !== this.breached) {
        this.breached = breached;
        const fields = { dir: this.o.dir, freeBytes, reserveBytes: this.reserveBytes };
        if (breached) this.o.log.error(fields, 'free disk space is below the reserve: refusing new exchanges (Server.ServerProxy.RecordFailed)');
        else this.o.log.warn(fields, 'free disk space is above the reserve again: taking new exchanges');
      }
    } catch (e) {
      // Keep the last known state: the writer fails on its own if the disk itself is gone.
      if (!this.unreadable) this.o.log.error({ dir: this.o.dir, err: e }, 'cannot read free disk space; keeping the last known state');
      this.unreadable = true;
    } finally {
      this.checking = false;
    }
  }

  /** The refusal of a new exchange while the reserve is breached (a door's refuseNew), else undefined. */
  refusal(): TabadolError | undefined {
    return this.breached ? new TabadolError(Errors.DiskReserve) : undefined;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
