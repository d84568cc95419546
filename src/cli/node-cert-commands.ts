// Node certificates (src/identity/node-certificates.ts): issued by the exchange CA on the node that
// holds it, recorded in the registry (serial, node, end of validity) so that they can be listed and
// revoked; revocations reach every node in the next snapshot, as client certificates' do.
import path from 'node:path';
import type { Command } from 'commander';
import { loadCa } from '../identity/ca.ts';
import { issueNodeCertificate, writeNodeCertificate, checkNodeIdText, DEFAULT_NODE_VALID_DAYS } from '../identity/node-certificates.ts';
import { loadOrCreateSnapshotSigningKey } from '../keys/snapshot-signing-key.ts';
import { caDirOf } from '../node/node-tls.ts';
import { NodeCertificates } from '../registry/node-certificates.ts';
import { openRegistryStore } from '../store/database.ts';
import { globals, print, runOf } from './context.ts';

/** The registry's node certificates of the data directory, opened as a tool (as withRegistry does). */
async function withNodeCertificates<T>(cmd: Command, fn: (n: NodeCertificates) => Promise<T>): Promise<T> {
  const g = globals(cmd);
  // Snapshots are signed with the snapshot key, never the record key (which a node refuses).
  const keys = await loadOrCreateSnapshotSigningKey(g.data);
  const store = await openRegistryStore(g.data);
  try {
    return await fn(new NodeCertificates(store.db, {
      instance: g.instance, nodeId: runOf(cmd).env.TABADOL_NODE_ID ?? 'central', role: 'tool',
      signingKey: keys.signingKey, validityMs: 24 * 3600_000, now: () => new Date(),
    }));
  } finally {
    await store.close();
  }
}

export function registerNodeCertCommands(program: Command): void {
  const nodeCert = program.command('node-cert').description('node certificates for the node-to-node port');

  nodeCert.command('issue <nodeId>').description('issue a certificate bound to a node (both TLS server and client), recorded in the registry')
    .option('--out <dir>', 'where to write cert.pem, key.pem and ca.crt.pem (default DATA/node-certs/<nodeId>)')
    .option('--valid-days <days>', `validity in days (default ${DEFAULT_NODE_VALID_DAYS})`, (v: string) => Number(v))
    .action(async (nodeIdText: string, o: { out?: string; validDays?: number }, cmd: Command) => {
      const g = globals(cmd);
      const nodeId = checkNodeIdText(nodeIdText);
      const ca = await loadCa(caDirOf(g.data));
      const issued = await issueNodeCertificate(ca, nodeId, { validDays: o.validDays });
      // Recorded before it is written: a certificate the registry does not know never reaches the disk.
      await withNodeCertificates(cmd, (n) => n.record({
        serial: issued.serial, nodeId, notBefore: issued.notBefore.toISOString(), notAfter: issued.notAfter.toISOString(),
      }, 'cli'));
      const paths = await writeNodeCertificate(o.out ?? path.join(g.data, 'node-certs', nodeId), issued, ca.certPem);
      print(cmd, {
        nodeId, ...paths, serial: issued.serial, notAfter: issued.notAfter.toISOString(),
        note: `install the three files in the node's DATA/tls/node/ (key.pem stays mode 0600) before it starts`,
      });
    });

  nodeCert.command('list').description('node certificates issued through this registry, revoked ones included')
    .option('--node <id>')
    .action(async (o: { node?: string }, cmd: Command) => print(cmd, await withNodeCertificates(cmd, (n) => n.list(o.node))));

  nodeCert.command('revoke').description('revoke a node certificate; every node refuses it once the snapshot carrying the revocation loads')
    .requiredOption('--serial <hex>', 'serial number, hexadecimal (colons allowed)')
    .option('--reason <text>', 'why, for the change log')
    .action(async (o: { serial: string; reason?: string }, cmd: Command) => {
      print(cmd, { revoked: [await withNodeCertificates(cmd, (n) => n.revoke(o.serial, 'cli', o.reason))] });
    });
}
