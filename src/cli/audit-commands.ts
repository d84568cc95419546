// Offline audit of a records store.
import path from 'node:path';
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { recordsFile } from '../records/record-store.ts';
import { verifyRecords } from '../records/verify.ts';
import { globals, print } from './context.ts';

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('audit the records of a node');
  audit.command('verify').description('recompute the record chains and check the signed checkpoints; exit 1 on the first problem')
    .option('--records <file>', 'records database (default: <data>/records.db)')
    .option('--public-key <file>', 'the node public key the auditor trusts (default: <data>/keys/node-signing.pub.pem)')
    .action(async (o: { records?: string; publicKey?: string }, cmd: Command) => {
      const g = globals(cmd);
      const file = o.records ?? recordsFile(g.data);
      const keyFile = o.publicKey ?? path.join(g.data, 'keys', 'node-signing.pub.pem');
      const key = createPublicKey(await readFile(keyFile, 'utf8').catch(() => fail(Errors.InvalidInput, `cannot read public key ${keyFile}`)));
      let db: Database.Database;
      try {
        db = new Database(file, { readonly: true, fileMustExist: true });
      } catch {
        fail(Errors.InvalidInput, `no records database at ${file}`);
      }
      const report = verifyRecords(db, key);
      db.close();
      print(report);
      if (!report.ok) process.exitCode = 1;
    });
}
