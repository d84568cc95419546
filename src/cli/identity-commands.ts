// The exchange as its own certificate authority. Every client certificate issued here is recorded
// in the registry (serial, subsystem, end of validity), so it can be revoked by serial or by
// subsystem; revocations reach the data plane in the next snapshot.
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { parseSubsystemId, subsystemKey } from '../identifiers/xroad-id.ts';
import { initCa, loadCa } from '../identity/ca.ts';
import { issueSubsystemCertificate, writeCertificate, DEFAULT_CLIENT_VALID_DAYS } from '../identity/certificates.ts';
import { caDirOf, certDirOf } from '../node/node-tls.ts';
import type { Registry } from '../registry/registry.ts';
import { globals, print, withRegistry } from './context.ts';

interface IssueFlags { out?: string; validDays?: number }

/** Issues, records, then writes: a certificate the registry does not know never reaches the disk. */
async function issueAndRecord(cmd: Command, r: Registry, subsystemText: string, o: IssueFlags) {
  const g = globals(cmd);
  const subsystemId = subsystemKey(parseSubsystemId(subsystemText, Errors.InvalidInput));
  const ca = await loadCa(caDirOf(g.data));
  const issued = await issueSubsystemCertificate(ca, subsystemId, { validDays: o.validDays });
  await r.recordCertificate({ serial: issued.serial, subsystemId, notBefore: issued.notBefore.toISOString(), notAfter: issued.notAfter.toISOString() }, 'cli');
  const paths = await writeCertificate(o.out ?? certDirOf(g.data, subsystemId), issued);
  return { subsystemId, ...paths, serial: issued.serial, notAfter: issued.notAfter.toISOString() };
}

const validDaysOption = ['--valid-days <days>', `validity in days (default ${DEFAULT_CLIENT_VALID_DAYS})`, (v: string) => Number(v)] as const;

export function registerIdentityCommands(program: Command): void {
  const ca = program.command('ca').description('the exchange certificate authority');
  ca.command('init').description('create the CA in the data directory').action(async (_o: unknown, cmd: Command) => {
    const g = globals(cmd);
    print(cmd, await initCa(caDirOf(g.data), { instance: g.instance }));
  });

  const cert = program.command('cert').description('client certificates');
  cert.command('issue <subsystemId>').description('issue a client certificate bound to a registered INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .option('--out <dir>', 'where to write cert.pem and key.pem')
    .option(...validDaysOption)
    .action(async (subsystemId: string, o: IssueFlags, cmd: Command) => {
      print(cmd, await withRegistry(cmd, (r) => issueAndRecord(cmd, r, subsystemId, o)));
    });

  // Renewal is routine, before the old certificate ends: the old one stays valid until it expires
  // or is revoked, so the agency can install the new one without an outage. After a key
  // compromise, --revoke-old revokes the old ones at once.
  cert.command('renew').description('issue a new certificate (new key, new serial) for a subsystem; the old ones stay valid unless --revoke-old')
    .requiredOption('--subsystem <id>', 'INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .option('--revoke-old', 'revoke the certificates in force now (a key was lost or stolen)')
    .option('--out <dir>', 'where to write cert.pem and key.pem')
    .option(...validDaysOption)
    .action(async (o: IssueFlags & { subsystem: string; revokeOld?: boolean }, cmd: Command) => {
      print(cmd, await withRegistry(cmd, async (r) => {
        const subsystemId = subsystemKey(parseSubsystemId(o.subsystem, Errors.InvalidInput));
        const previous = await r.certificatesInForce(subsystemId);
        const issued = await issueAndRecord(cmd, r, subsystemId, o);
        if (o.revokeOld) for (const p of previous) await r.revokeCertificate(p.serial, 'cli', 'replaced after renewal');
        return {
          ...issued,
          previous: previous.map((p) => ({ serial: p.serial, notAfter: p.not_after })),
          previousRevoked: o.revokeOld === true && previous.length > 0,
          ...(o.revokeOld || previous.length === 0 ? {} : {
            note: 'the previous certificates stay valid until they expire; once the new one is installed, revoke them with: '
              + previous.map((p) => `tabadol cert revoke --serial ${p.serial}`).join('; '),
          }),
        };
      }));
    });

  cert.command('revoke').description('revoke one certificate (--serial) or every certificate in force of a subsystem (--subsystem)')
    .option('--serial <hex>', 'serial number, hexadecimal (colons allowed)')
    .option('--subsystem <id>', 'INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .option('--reason <text>', 'why, for the change log')
    .action(async (o: { serial?: string; subsystem?: string; reason?: string }, cmd: Command) => {
      if ((o.serial === undefined) === (o.subsystem === undefined)) fail(Errors.InvalidInput, 'give exactly one of --serial or --subsystem');
      const revoked = await withRegistry(cmd, (r) => o.serial !== undefined
        ? r.revokeCertificate(o.serial, 'cli', o.reason)
        : r.revokeSubsystemCertificates(o.subsystem!, 'cli', o.reason));
      print(cmd, { revoked });
    });

  cert.command('list').description('certificates issued through this registry, revoked ones included')
    .option('--subsystem <id>')
    .action(async (o: { subsystem?: string }, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.listCertificates(o.subsystem))));
}
