// One keep-alive connection pool per provider origin, kept across snapshots so that a registry
// change does not drop warm connections.
//
// Each origin takes a bounded number of exchanges at once: up to `connections` on the wire and up
// to `queue` more waiting for a connection. undici's Pool queues without bound, so an overloaded or
// stalled provider would otherwise collect a growing queue of exchanges (memory, and answers that
// come too late to matter); beyond the bound the node refuses at once with a coded error instead.
import { Pool } from 'undici';
import { Errors, fail } from '../errors/catalogue.ts';

export interface ProviderPoolLimits {
  /** Connections per provider origin (default 128). */
  connections?: number;
  /** Exchanges that may wait for a connection of the origin, beyond those (default 256). */
  queue?: number;
}

/** A provider origin's pool and how many exchanges hold a place in it. */
export interface ProviderOrigin {
  readonly pool: Pool;
  inFlight: number;
}

export class ProviderPools {
  readonly connections: number;
  readonly queue: number;
  private readonly origins = new Map<string, ProviderOrigin>();

  constructor(limits: ProviderPoolLimits = {}) {
    this.connections = limits.connections ?? 128;
    this.queue = limits.queue ?? 256;
    if (!Number.isInteger(this.connections) || this.connections < 1) fail(Errors.InvalidInput, 'provider connections must be a positive integer');
    if (!Number.isInteger(this.queue) || this.queue < 0) fail(Errors.InvalidInput, 'the provider queue must be a non-negative integer');
  }

  /**
   * Takes a place for one exchange with the provider at `origin`, or refuses with ProviderBusy when
   * every connection is busy and the queue is full. The caller gives the place back with release().
   */
  acquire(origin: string): ProviderOrigin {
    let o = this.origins.get(origin);
    if (!o) {
      o = { pool: new Pool(origin, { connections: this.connections, pipelining: 1, keepAliveTimeout: 30_000 }), inFlight: 0 };
      this.origins.set(origin, o);
    }
    // The provider's origin stays out of the message: callers need not learn internal addresses.
    if (o.inFlight >= this.connections + this.queue) fail(Errors.ProviderBusy, `${this.connections} connections and ${this.queue} waiting`);
    o.inFlight++;
    return o;
  }

  release(o: ProviderOrigin): void {
    o.inFlight--;
  }

  async close(): Promise<void> {
    await Promise.all([...this.origins.values()].map((o) => o.pool.close()));
    this.origins.clear();
  }
}
