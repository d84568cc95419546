// What the admin API is given by the control plane; its own module so the routes and the app share it.
import type { Logger } from 'pino';
import type { Registry } from '../registry/registry.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { StatsQueries } from '../oversight/rollup-reader.ts';
import type { Compliance } from '../compliance/compliance.ts';

export interface AdminDeps {
  log: Logger;
  registry: Registry;
  adminToken: string;
  snapshots: SnapshotHolder;
  /** Statistics from the rollups of this node's records: the node's reader thread (rollup-host.ts). */
  stats: StatsQueries;
  /** Service levels, kept breaches and mandates of this node (src/compliance/). */
  compliance: Compliance;
  /** Prometheus text of the data plane: this process's, or all workers' together. */
  metricsText: () => Promise<{ contentType: string; text: string }>;
  /** Called after a change so this process's data plane sees it at once, not at the next poll. */
  afterChange: () => Promise<void>;
}
