// A node's configuration, checked once at start. Only entry points build it (from flags and the
// environment); everything else receives it.
export interface NodeConfig {
  instance: string;
  nodeId: string;
  dataDir: string;
  /** Admin API port; bound to localhost. */
  adminPort: number;
  adminHost: string;
  /** TLS data port with client certificates; null disables it. */
  tlsPort: number | null;
  tlsHost: string;
  /** Plain-HTTP data port: a development convenience, localhost only; null disables it. */
  httpPort: number | null;
  snapshotPollMs: number;
  snapshotValidityMs: number;
  checkpointIntervalMs: number;
  durability: 'full' | 'normal';
  maxBodyBytes: number;
  /** Time a client has to send its headers, and its whole request; Node's defaults (60 s, 300 s)
   * let slow clients hold connections for minutes. */
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  /** Chain of this process's records; one writer per chain. */
  chainId: string;
  logLevel: string;
  now: () => number;
}

export function defaultConfig(overrides: Partial<NodeConfig> & { dataDir: string }): NodeConfig {
  const nodeId = overrides.nodeId ?? 'central';
  return {
    instance: 'IR',
    nodeId,
    adminPort: 4000,
    adminHost: '127.0.0.1',
    tlsPort: 8443,
    tlsHost: '0.0.0.0',
    httpPort: null,
    snapshotPollMs: 1000,
    snapshotValidityMs: 24 * 3600_000,
    checkpointIntervalMs: 1000,
    durability: 'full',
    maxBodyBytes: 1024 * 1024,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    chainId: `${nodeId}/0`,
    logLevel: 'info',
    now: Date.now,
    ...overrides,
  };
}
