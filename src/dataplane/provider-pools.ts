// One keep-alive connection pool per provider origin, kept across snapshots so that a registry
// change does not drop warm connections.
import { Pool } from 'undici';

export class ProviderPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly connections = 128) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, { connections: this.connections, pipelining: 1, keepAliveTimeout: 30_000 });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
