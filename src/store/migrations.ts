// Schema migrations, written with Kysely's schema builder so they run on SQLite and PostgreSQL.
import { Errors, fail } from '../errors/catalogue.ts';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_registry': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('members').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('instance', 'text', (c) => c.notNull())
        .addColumn('member_class', 'text', (c) => c.notNull())
        .addColumn('member_code', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_fa', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('subsystems').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
        .addColumn('subsystem_code', 'text', (c) => c.notNull())
        .addColumn('name', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('services').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('subsystem_id', 'text', (c) => c.notNull().references('subsystems.id'))
        .addColumn('service_code', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('max_rate_per_second', 'integer')
        .addColumn('contract', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('groups').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('group_members').ifNotExists()
        .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
        .addColumn('subsystem_id', 'text', (c) => c.notNull().references('subsystems.id'))
        .addPrimaryKeyConstraint('group_members_pk', ['group_id', 'subsystem_id'])
        .execute();
      await db.schema.createTable('access_rights').ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('service_id', 'text', (c) => c.notNull().references('services.id'))
        .addColumn('method', 'text')
        .addColumn('path', 'text')
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('valid_from', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('snapshots').ifNotExists()
        .addColumn('version', 'integer', (c) => c.primaryKey())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('valid_until', 'text', (c) => c.notNull())
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('changes').ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('object_id', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await sql`create index if not exists access_rights_service on access_rights (service_id)`.execute(db);
    },
  },
  // Issued client certificates (so that they can be revoked by subsystem), the operator's
  // allow-list of provider hosts the address rules would otherwise refuse, and node settings.
  '0002_certificates_provider_hosts': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('certificates').ifNotExists()
        .addColumn('serial', 'text', (c) => c.primaryKey()) // upper-case hex, as the node reads it from TLS
        .addColumn('subsystem_id', 'text', (c) => c.notNull()) // no foreign key: kept after the subsystem is removed
        .addColumn('not_before', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_reason', 'text')
        .execute();
      await sql`create index if not exists certificates_subsystem on certificates (subsystem_id)`.execute(db);
      await db.schema.createTable('provider_hosts').ifNotExists()
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('port', 'integer') // null: every port but the node's own
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await sql`create unique index if not exists provider_hosts_entry on provider_hosts (host, coalesce(port, 0))`.execute(db);
      await db.schema.createTable('settings').ifNotExists()
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // A subsystem's home node is registry data (null: the registry's central node, recorded in
  // settings), not the id of whichever node published the snapshot.
  '0003_home_node': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('subsystems').addColumn('home_node', 'text').execute();
    },
  },
  // Oversight data (src/registry/oversight-data.ts): service levels, what an answered inquiry saves,
  // agencies' baseline visits, the working group's mandates and the UN e-government survey's
  // services. A service's level, savings and survey links go with the service (ON DELETE CASCADE:
  // they describe it and mean nothing without it); baselines go with their member. A mandate names
  // its responsible member and services as text, without a foreign key: a resolution stays on the
  // record whatever happens to the registry, and may name a service not offered yet.
  '0004_oversight': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('service_levels').ifNotExists()
        .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id').onDelete('cascade'))
        .addColumn('availability_percent', 'real', (c) => c.notNull())
        .addColumn('p95_latency_ms', 'integer', (c) => c.notNull())
        .addColumn('max_rate_per_second', 'integer', (c) => c.notNull())
        .addColumn('support_hours', 'text', (c) => c.notNull()) // JSON: "24/7" or {days, from, to}, Tehran time
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('service_savings').ifNotExists()
        .addColumn('service_id', 'text', (c) => c.primaryKey().references('services.id').onDelete('cascade'))
        .addColumn('visits', 'real', (c) => c.notNull())
        .addColumn('letters', 'real', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('visit_baselines').ifNotExists()
        .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
        .addColumn('base_year', 'integer', (c) => c.notNull()) // Jalali
        .addColumn('visits', 'integer', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('visit_baselines_pk', ['member_id', 'base_year'])
        .execute();
      await db.schema.createTable('mandates').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title_fa', 'text', (c) => c.notNull())
        .addColumn('title_en', 'text', (c) => c.notNull())
        .addColumn('resolution', 'text', (c) => c.notNull())
        .addColumn('responsible_member_id', 'text') // null: every agency
        .addColumn('deadline', 'text', (c) => c.notNull()) // Jalali YYYY/MM/DD
        .addColumn('condition', 'text', (c) => c.notNull()) // JSON, one of the kinds in oversight-data.ts
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('survey_services').ifNotExists()
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('title_fa', 'text', (c) => c.notNull())
        .addColumn('title_en', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('survey_service_links').ifNotExists()
        .addColumn('survey_code', 'text', (c) => c.notNull().references('survey_services.code').onDelete('cascade'))
        .addColumn('service_id', 'text', (c) => c.notNull().references('services.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('survey_service_links_pk', ['survey_code', 'service_id'])
        .execute();
      // Removing a service looks its links up by service (the cascade), not by survey code.
      await sql`create index if not exists survey_service_links_service on survey_service_links (service_id)`.execute(db);
    },
  },
  // The province a subsystem serves from (the Statistical Centre's two-digit code, '00'–'30'; null:
  // national), so that statistics can be read by province.
  '0005_subsystem_province': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('subsystems').addColumn('province', 'text').execute();
    },
  },
  // The portal dashboard's accounts (src/portal/accounts/): scrypt hashes with their own salt and
  // parameters, and the failed-login count and lock-out kept per account.
  '0006_users': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('users').ifNotExists()
        .addColumn('username', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('failed_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_login_at', 'text')
        .execute();
    },
  },
  // Node certificates (src/identity/node-certificates.ts), kept apart from the subsystems' client
  // certificates: those are listed, revoked by subsystem and answered under the admin API's declared
  // shape by subsystem. A node certificate's revocation travels in the snapshot's one list of revoked
  // serials (src/snapshot/publish.ts); serials are unique across both tables (the CA draws them at
  // random, and recording refuses one known in either).
  '0007_node_certificates': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('node_certificates').ifNotExists()
        .addColumn('serial', 'text', (c) => c.primaryKey()) // upper-case hex, as a node reads it from TLS
        .addColumn('node_id', 'text', (c) => c.notNull())
        .addColumn('not_before', 'text', (c) => c.notNull())
        .addColumn('not_after', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('revoked_reason', 'text')
        .execute();
      await sql`create index if not exists node_certificates_node on node_certificates (node_id)`.execute(db);
    },
  },
  // The exchange's nodes as registry data (src/registry/nodes.ts): the centre and one node per
  // province (a unique province code; SQLite and PostgreSQL both let several rows hold NULL, the
  // centre's), the address of each node-to-node port, and the record key the centre checks a
  // province's witnessed chain heads with (also kept in the record-keys setting the witness reads).
  '0008_nodes': {
    async up(db: Kysely<any>) {
      await db.schema.createTable('nodes').ifNotExists()
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull()) // central | provincial
        .addColumn('province', 'text', (c) => c.unique()) // '00'–'30'; null for the centre
        .addColumn('url', 'text', (c) => c.notNull()) // https://host:port of its node port
        .addColumn('record_key', 'text') // SPKI PEM; null until the operator gives it
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  // What the centre witnessed of other nodes' record chains (src/records/witness-store.ts): the
  // newest signed head of each chain, and a thinned history of earlier ones.
  '0009_witnessed_heads': {
    async up(db: Kysely<any>) {
      for (const table of ['witnessed_heads', 'witnessed_head_history']) {
        await db.schema.createTable(table).ifNotExists()
          .addColumn('chain_id', 'text', (c) => c.notNull())
          .addColumn('node_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('record_hash', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('signature', 'text', (c) => c.notNull())
          .addColumn('public_key', 'text', (c) => c.notNull())
          .addColumn('key_id', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, table === 'witnessed_heads' ? ['chain_id'] : ['chain_id', 'seq'])
          .execute();
        await db.schema.createIndex(`${table}_node`).ifNotExists().on(table).columns(['node_id', 'chain_id']).execute();
      }
    },
  },
  // The nodes that also serve a subsystem, after its home node and in the order exchanges fail over
  // to them: comma-separated node ids (each checked as an identifier part, so no comma is in one).
  '0010_standby_nodes': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('subsystems').addColumn('standby_nodes', 'text').execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrate(db: Kysely<any>): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) fail(Errors.RegistryStoreFailed, 'a migration failed', error);
}
