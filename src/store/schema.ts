// Table shapes of the registry store. Times are ISO 8601 UTC strings; JSON columns are text.
import type { Generated } from 'kysely';

export interface MemberTable {
  id: string; // INSTANCE/CLASS/MEMBER
  instance: string;
  member_class: string;
  member_code: string;
  name: string;
  name_fa: string | null;
  created_at: string;
}

export interface SubsystemTable {
  id: string; // INSTANCE/CLASS/MEMBER/SUBSYSTEM
  member_id: string;
  subsystem_code: string;
  name: string | null;
  /** The node whose providers serve its services; null: the registry's central node. */
  home_node: string | null;
  /** Nodes that also serve it, after the home node, in failover order: comma-separated ids; null: none. */
  standby_nodes: string | null;
  /** Two-digit province code ('00'–'30'); null: a national system. */
  province: string | null;
  created_at: string;
}

export interface ServiceTable {
  id: string; // INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE
  subsystem_id: string;
  service_code: string;
  title: string;
  base_url: string;
  timeout_ms: number;
  max_rate_per_second: number | null;
  contract: string; // OpenAPI 3.1 document, JSON
  created_at: string;
  updated_at: string;
}

export interface GroupTable {
  id: string; // INSTANCE/GROUPCODE
  description: string;
  created_at: string;
}

export interface GroupMemberTable {
  group_id: string;
  subsystem_id: string;
}

export interface AccessRightTable {
  id: Generated<number>;
  subject_id: string; // a subsystem id or a group id
  subject_type: 'subsystem' | 'group';
  service_id: string;
  method: string | null; // null = the whole service
  path: string | null; // OpenAPI path template, with method
  legal_basis: string;
  valid_from: string;
  valid_until: string | null;
  created_at: string;
}

export interface SnapshotTable {
  version: number;
  created_at: string;
  valid_until: string;
  document: string; // the exact signed JSON text
  signature: string; // base64 Ed25519 over the document text
}

export interface ChangeTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  object_id: string;
  detail: string;
}

export interface CertificateTable {
  serial: string; // upper-case hex
  subsystem_id: string;
  not_before: string;
  not_after: string;
  issued_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface ProviderHostTable {
  id: Generated<number>;
  host: string; // as URL parsing normalises it: lower-case name, dotted IPv4, [bracketed] IPv6
  port: number | null; // null: every port but the node's own
  note: string;
  created_at: string;
}

export interface SettingTable {
  key: string;
  value: string; // JSON
}

// --- Oversight data (src/registry/oversight-data.ts).

export interface ServiceLevelTable {
  service_id: string;
  availability_percent: number; // e.g. 99.5
  p95_latency_ms: number;
  /** Also written to services.max_rate_per_second, which the door enforces. */
  max_rate_per_second: number;
  support_hours: string; // JSON: "24/7" or {days, from, to}, Tehran time
  created_at: string;
  updated_at: string;
}

export interface ServiceSavingTable {
  service_id: string;
  visits: number; // in-person visits one answered inquiry replaces
  letters: number; // paper letters one answered inquiry replaces
  updated_at: string;
}

export interface VisitBaselineTable {
  member_id: string;
  base_year: number; // Jalali
  visits: number; // citizens' in-person visits declared for the base year
  note: string | null;
  created_at: string;
  updated_at: string;
}

export interface MandateTable {
  id: string;
  title_fa: string;
  title_en: string;
  resolution: string; // e.g. session and resolution number
  responsible_member_id: string | null; // null: every agency
  deadline: string; // Jalali YYYY/MM/DD
  condition: string; // JSON
  created_at: string;
  updated_at: string;
}

export interface SurveyServiceTable {
  code: string;
  title_fa: string;
  title_en: string;
  created_at: string;
  updated_at: string;
}

export interface SurveyServiceLinkTable {
  survey_code: string;
  service_id: string;
}

// --- The portal dashboard's accounts (src/portal/accounts/users.ts).

export interface UserTable {
  username: string;
  role: string; // operator | overseer | inspector
  password_hash: string; // scrypt$logN$r$p$salt$key
  failed_count: Generated<number>;
  locked_until: string | null; // ISO instant
  created_at: string;
  last_login_at: string | null;
}

// --- Node certificates (src/registry/node-certificates.ts).

export interface NodeCertificateTable {
  serial: string; // upper-case hex
  node_id: string;
  not_before: string;
  not_after: string;
  issued_at: string;
  revoked_at: string | null;
  revoked_reason: string | null;
}

export interface NodeTable {
  id: string;
  role: 'central' | 'provincial';
  province: string | null;
  url: string;
  record_key: string | null;
  created_at: string;
  updated_at: string;
}

export interface WitnessedHeadTable {
  chain_id: string;
  node_id: string;
  seq: number;
  record_hash: string;
  at: string;
  signature: string;
  public_key: string;
  key_id: string;
  received_at: string;
}

export interface RegistryTables {
  members: MemberTable;
  subsystems: SubsystemTable;
  services: ServiceTable;
  groups: GroupTable;
  group_members: GroupMemberTable;
  access_rights: AccessRightTable;
  snapshots: SnapshotTable;
  changes: ChangeTable;
  certificates: CertificateTable;
  provider_hosts: ProviderHostTable;
  settings: SettingTable;
  service_levels: ServiceLevelTable;
  service_savings: ServiceSavingTable;
  visit_baselines: VisitBaselineTable;
  mandates: MandateTable;
  survey_services: SurveyServiceTable;
  survey_service_links: SurveyServiceLinkTable;
  users: UserTable;
  node_certificates: NodeCertificateTable;
  nodes: NodeTable;
  /** The newest head of each chain a node sent its centre. */
  witnessed_heads: WitnessedHeadTable;
  /** Earlier heads, at most one per chain per hour. */
  witnessed_head_history: WitnessedHeadTable;
}
