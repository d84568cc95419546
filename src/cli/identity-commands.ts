// The exchange as its own certificate authority.
import type { Command } from 'commander';
import { initCa, loadCa } from '../identity/ca.ts';
import { issueSubsystemCertificate, writeCertificate } from '../identity/certificates.ts';
import { caDirOf, certDirOf } from '../node/node-tls.ts';
import { globals, print } from './context.ts';

export function registerIdentityCommands(program: Command): void {
  const ca = program.command('ca').description('the exchange certificate authority');
  ca.command('init').description('create the CA in the data directory').action(async (_o: unknown, cmd: Command) => {
    const g = globals(cmd);
    print(await initCa(caDirOf(g.data), { instance: g.instance }));
  });

  const cert = program.command('cert').description('client certificates');
  cert.command('issue <subsystemId>').description('issue a client certificate bound to INSTANCE/CLASS/MEMBER/SUBSYSTEM')
    .option('--out <dir>', 'where to write cert.pem and key.pem')
    .option('--valid-days <days>', 'validity', (v) => Number(v))
    .action(async (subsystemId: string, o: { out?: string; validDays?: number }, cmd: Command) => {
      const g = globals(cmd);
      const issued = await issueSubsystemCertificate(await loadCa(caDirOf(g.data)), subsystemId, { validDays: o.validDays });
      print(await writeCertificate(o.out ?? certDirOf(g.data, subsystemId), issued));
    });
}
