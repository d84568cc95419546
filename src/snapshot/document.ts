// The registry compiled into one immutable document: what the data plane runs on. It is signed by
// the node that published it and expires, so a node cut off from its registry stops acting on
// stale access rights at a known time instead of forever.
export interface SnapshotMember {
  id: string;
  memberClass: string;
  memberCode: string;
  name: string;
  nameFa: string | null;
}

export interface SnapshotSubsystem {
  id: string;
  memberId: string;
  subsystemCode: string;
  name: string | null;
  /** The node its services are served from (its home node in the registry). Absent from
   * snapshots published before home nodes were registry data. */
  node?: string;
  /** Nodes that also serve it, after `node`, in failover order; absent when there are none. */
  standbyNodes?: string[];
}

export interface SnapshotService {
  id: string;
  subsystemId: string;
  serviceCode: string;
  title: string;
  baseUrl: string;
  timeoutMs: number;
  maxRatePerSecond: number | null;
  /** The node whose providers serve it: its subsystem's home node in the registry, the registry's
   * central node unless the subsystem names another. */
  node: string;
  /** Its subsystem's standby nodes, in failover order; absent when there are none. */
  standbyNodes?: string[];
  contract: unknown;
}

export interface SnapshotAccessRight {
  id: number;
  subjectId: string;
  subjectType: 'subsystem' | 'group';
  serviceId: string;
  method: string | null;
  path: string | null;
  legalBasis: string;
  validFrom: string;
  validUntil: string | null;
}

export interface SnapshotGroup {
  id: string;
  description: string;
  members: string[];
}

/** A node of the exchange, as the registry knows it: where other nodes reach its node-to-node port. */
export interface SnapshotNode {
  id: string;
  role: 'central' | 'provincial';
  /** Two-digit province code ('00'–'30') for a provincial node; null for the centre. */
  province: string | null;
  /** Its node-to-node port, e.g. https://10.23.0.5:5500. */
  url: string;
}

export interface SnapshotDocument {
  format: 'tabadol-snapshot/1';
  instance: string;
  version: number;
  createdAt: string;
  validUntil: string;
  /** The registry's central node, on whose behalf the snapshot was signed. */
  publisher: string;
  members: SnapshotMember[];
  subsystems: SnapshotSubsystem[];
  services: SnapshotService[];
  groups: SnapshotGroup[];
  accessRights: SnapshotAccessRight[];
  /**
   * Serials (upper-case hex) of client and node certificates revoked before they expire. Absent from
   * snapshots published before revocation existed: read as none.
   */
  revokedSerials?: string[];
  /** The exchange's nodes and their node-to-node addresses. Absent from snapshots published before
   * nodes were registry data: read as none (every service on the publishing node). */
  nodes?: SnapshotNode[];
}

/** A snapshot as stored and shipped: the exact signed text and its signature. */
export interface SignedSnapshot {
  version: number;
  document: string;
  signature: string;
}
