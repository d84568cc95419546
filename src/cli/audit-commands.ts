// Offline audit of a records store: `audit verify` recomputes the chains, `audit head` prints the
// signed chain heads for an auditor to keep elsewhere, and `audit verify --head` checks that the
// store still holds them. The key trusted is a key file the auditor holds (`--public-key`), or with
// `--registry-key` the record key the registry holds for the node whose chains these are
// (registry/node-record-keys.ts), so the node audited does not supply the key it is checked with.
import path from 'node:path';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { recordsFile } from '../records/record-store.ts';
import { verifyRecords, type VerifyReport } from '../records/verify.ts';
import { HEADS_FORMAT, headSignatureValid, keyIdOf, parseHeadsFile, readSignedHeads, type HeadsFile, type SignedHead } from '../records/heads.ts';
import { globals, runOf } from './context.ts';
import { fileExists } from '../files/exists.ts';
import { recordKeysSetting, type RegisteredRecordKey } from '../registry/node-record-keys.ts';
import { checkNodeId } from '../registry/central-node.ts';
import { headsFileOf } from '../records/witness-store.ts';

export interface AuditOptions {
  /** The records database. */
  records: string;
  /** The node public key as the auditor holds it (SPKI PEM file). */
  publicKey: string;
  /** Instead of publicKey: the registry database whose registered record key is trusted. */
  registry?: string;
  /** The node whose registered key is trusted; by default the one node whose chains the store holds. */
  node?: string;
}

/** The newest record key the registry holds for the node of the audited chains (`<node>/<worker>`). */
function registeredKey(o: AuditOptions & { registry: string }): KeyObject {
  const node = o.node ?? withRecords(o.records, (db) => {
    const nodes = [...new Set((db.prepare('select distinct chain_id from checkpoints').all() as { chain_id: string }[]).map((r) => r.chain_id.split('/')[0]!))];
    if (nodes.length !== 1) fail(Errors.InvalidInput, nodes.length === 0 ? 'the store holds no signed checkpoint to name its node: give --node' : `the store holds chains of ${nodes.length} nodes (${nodes.join(', ')}): give --node`);
    return nodes[0]!;
  });
  let registry: Database.Database;
  try {
    registry = new Database(o.registry, { readonly: true, fileMustExist: true });
  } catch {
    fail(Errors.InvalidInput, `no registry database at ${o.registry}`);
  }
  try {
    const row = registry.prepare('select value from settings where key = ?').get(recordKeysSetting(node)) as { value: string } | undefined;
    const newest = row ? (JSON.parse(row.value) as RegisteredRecordKey[]).at(-1) : undefined;
    if (!newest) fail(Errors.InvalidInput, `the registry holds no record key for node ${node}`);
    return createPublicKey(newest.publicKey);
  } catch (e) {
    if (e instanceof Database.SqliteError) fail(Errors.InvalidInput, `${o.registry} is not a registry database: ${e.message}`, e);
    throw e;
  } finally {
    registry.close();
  }
}

function keyFor(o: AuditOptions): Promise<KeyObject> {
  return o.registry === undefined ? trustedKey(o.publicKey) : Promise.resolve(registeredKey({ ...o, registry: o.registry }));
}

async function trustedKey(file: string): Promise<KeyObject> {
  const pem = await readFile(file, 'utf8').catch(() => fail(Errors.InvalidInput, `cannot read public key ${file}`));
  try {
    return createPublicKey(pem);
  } catch {
    fail(Errors.InvalidInput, `${file} is not a public key in PEM format`);
  }
}

/** Runs `fn` on the store opened read-only. A damaged file, or one that is not a records store,
 * becomes one coded error naming the file and SQLite's reason, never a stack trace. */
function withRecords<T>(file: string, fn: (db: Database.Database) => T): T {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch {
    fail(Errors.InvalidInput, `no records database at ${file}`);
  }
  try {
    // The page structure first: damage in a page the chains never read (an index, free pages)
    // is still damage, and SQLite names it better than a failed query would.
    const problems = (db.prepare('pragma quick_check').all() as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems[0] !== 'ok') fail(Errors.RecordsDamaged, `${file}: ${problems.slice(0, 3).join('; ')}`);
    return fn(db);
  } catch (e) {
    if (e instanceof Database.SqliteError) fail(Errors.RecordsDamaged, `${file}: ${e.message}`, e);
    throw e;
  } finally {
    db.close();
  }
}

export async function auditVerify(o: AuditOptions & { head?: string }): Promise<VerifyReport> {
  // No store to audit is the first thing to say, before which key would be trusted.
  if (!(await fileExists(o.records))) fail(Errors.InvalidInput, `no records database at ${o.records}`);
  const key = await keyFor(o);
  const heads = o.head === undefined ? [] : parseHeadsFile(
    await readFile(o.head, 'utf8').catch(() => fail(Errors.InvalidInput, `cannot read heads file ${o.head}`)));
  return withRecords(o.records, (db) => verifyRecords(db, key, heads));
}

/** The newest signed head of every chain, each checked against the trusted key; `rejected` names
 * the chains whose head does not verify (run `audit verify` on those). */
export async function auditHeads(o: AuditOptions): Promise<{ file: HeadsFile; rejected: SignedHead[] }> {
  if (!(await fileExists(o.records))) fail(Errors.InvalidInput, `no records database at ${o.records}`);
  const key = await keyFor(o);
  const heads = withRecords(o.records, readSignedHeads);
  const trusted = keyIdOf(key);
  const ok = (h: SignedHead) => h.keyId === trusted && headSignatureValid(h, key);
  return { file: { format: HEADS_FORMAT, heads: heads.filter(ok) }, rejected: heads.filter((h) => !ok(h)) };
}

/** What the central node whose registry this is witnessed of `node`'s chains (records/witness-store.ts),
 * read-only: nothing witnessed yet is an empty list, not an error. */
export function witnessedHeads(registryFile: string, node: string): HeadsFile {
  checkNodeId(node, '--node');
  let registry: Database.Database;
  try {
    registry = new Database(registryFile, { readonly: true, fileMustExist: true });
  } catch {
    fail(Errors.InvalidInput, `no registry database at ${registryFile}`);
  }
  try {
    const table = registry.prepare("select 1 from sqlite_master where type = 'table' and name = 'witnessed_heads'").get();
    if (!table) return headsFileOf([]);
    return headsFileOf(registry.prepare('select * from witnessed_heads where node_id = ? order by chain_id').all(node) as Parameters<typeof headsFileOf>[0]);
  } catch (e) {
    if (e instanceof Database.SqliteError) fail(Errors.InvalidInput, `${registryFile} is not a registry database: ${e.message}`, e);
    throw e;
  } finally {
    registry.close();
  }
}

interface KeyFlags { records?: string; publicKey?: string; registryKey?: boolean; registry?: string; node?: string }

function auditOptions(cmd: Command, o: KeyFlags): AuditOptions {
  const g = globals(cmd);
  if (o.registryKey && o.publicKey !== undefined) fail(Errors.InvalidInput, 'give --public-key or --registry-key, not both');
  if (!o.registryKey && (o.registry !== undefined || o.node !== undefined)) fail(Errors.InvalidInput, '--registry and --node go with --registry-key');
  return {
    records: o.records ?? recordsFile(g.data),
    publicKey: o.publicKey ?? path.join(g.data, 'keys', 'node-signing.pub.pem'),
    registry: o.registryKey ? o.registry ?? path.join(g.data, 'registry.db') : undefined,
    node: o.node,
  };
}

function keyOptions(c: Command): Command {
  return c
    .option('--public-key <file>', 'the node public key the auditor trusts (default: <data>/keys/node-signing.pub.pem)')
    .option('--registry-key', 'trust the record key the registry holds for the node of these chains instead of a key file')
    .option('--registry <file>', 'with --registry-key: the registry database (default: <data>/registry.db)')
    .option('--node <id>', 'with --registry-key: the node whose registered key is trusted (default: the node of the chains)');
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('audit the records of a node');
  keyOptions(audit.command('verify').description('recompute the record chains and check the signed checkpoints; exit 1 on the first problem, 2 when the store cannot be read')
    .option('--records <file>', 'records database (default: <data>/records.db)'))
    .option('--head <file>', 'signed heads kept earlier from `audit head`: the store must still hold them and every record they cover')
    .action(async (o: KeyFlags & { head?: string }, cmd: Command) => {
      const run = runOf(cmd);
      const report = await auditVerify({ ...auditOptions(cmd, o), head: o.head });
      run.print(report);
      for (const c of report.chains) if (!c.ok) run.err(`chain ${c.chainId}: ${c.problem}\n`);
      if (!report.ok) run.exitCode = 1;
    });
  keyOptions(audit.command('head').description('print the newest signed head of every chain as JSON, for an auditor to keep away from the node')
    .option('--records <file>', 'records database (default: <data>/records.db)'))
    .action(async (o: KeyFlags, cmd: Command) => {
      const run = runOf(cmd);
      const { file, rejected } = await auditHeads(auditOptions(cmd, o));
      run.print(file);
      for (const h of rejected) {
        run.err(`chain ${h.chainId}: the newest checkpoint (record ${h.seq}) does not verify with the trusted key; run audit verify\n`);
      }
      if (rejected.length > 0) run.exitCode = 1;
    });
  audit.command('witnessed').description('print the chain heads this node (a central node) witnessed for another node, for `audit verify --head` on that node\'s records')
    .requiredOption('--node <id>', 'the node whose witnessed heads to print')
    .option('--registry <file>', 'the central node\'s registry database (default: <data>/registry.db)')
    .action((o: { node: string; registry?: string }, cmd: Command) => {
      const run = runOf(cmd);
      const file = witnessedHeads(o.registry ?? path.join(globals(cmd).data, 'registry.db'), o.node);
      run.print(file);
      if (file.heads.length === 0) run.err(`nothing witnessed for node ${o.node}\n`);
    });
}
