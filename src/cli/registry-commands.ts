// Registry commands: the admin API's operations on a data directory, for scripts and operators.
// A running node picks each change up at its next snapshot poll.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import type { Registry } from '../registry/registry.ts';
import { print, withRegistry } from './context.ts';

async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    fail(Errors.InvalidInput, `cannot read JSON from ${file}: ${(e as Error).message}`);
  }
}

export function registerRegistryCommands(program: Command): void {
  const member = program.command('member').description('members (organisations)');
  member.command('add <class> <code> <name>').description('add a member of class GOV or COM').option('--name-fa <name>')
    .action(async (memberClass: string, memberCode: string, name: string, o: { nameFa?: string }, cmd: Command) =>
      print({ id: await withRegistry(cmd, (r) => r.addMember({ memberClass, memberCode, name, nameFa: o.nameFa })) }));

  const subsystem = program.command('subsystem').description('subsystems (information systems of members)');
  subsystem.command('add <id>').description('add INSTANCE/CLASS/MEMBER/SUBSYSTEM').option('--name <name>')
    .action(async (subsystemId: string, o: { name?: string }, cmd: Command) =>
      print({ id: await withRegistry(cmd, (r) => r.addSubsystem({ subsystemId, name: o.name })) }));

  const service = program.command('service').description('services and their contracts');
  service.command('add <id>').description('add INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE from an OpenAPI 3.1 contract file')
    .requiredOption('--contract <file>', 'OpenAPI 3.1 document (JSON)')
    .requiredOption('--base-url <url>', 'where the provider serves it')
    .requiredOption('--title <title>')
    .option('--timeout-ms <ms>', 'provider timeout', (v) => Number(v))
    .option('--max-rate <perSecond>', 'maximum rate per client', (v) => Number(v))
    .option('--replace', 'replace an existing service')
    .action(async (serviceId: string, o: { contract: string; baseUrl: string; title: string; timeoutMs?: number; maxRate?: number; replace?: boolean }, cmd: Command) => {
      const contract = await readJson(o.contract);
      print({ id: await withRegistry(cmd, (r) => r.putService({
        serviceId, title: o.title, baseUrl: o.baseUrl, contract, timeoutMs: o.timeoutMs, maxRatePerSecond: o.maxRate,
      }, 'cli', o.replace === true)) });
    });
  service.command('remove <id>').action(async (id: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.removeService(id, 'cli'));
    print({ removed: id });
  });

  const group = program.command('group').description('groups of subsystems');
  group.command('add <code> <description>').action(async (code: string, description: string, _o: unknown, cmd: Command) =>
    print({ id: await withRegistry(cmd, (r) => r.addGroup(code, description, 'cli')) }));
  group.command('add-member <groupId> <subsystemId>').action(async (groupId: string, subsystemId: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.addGroupMember(groupId, subsystemId, 'cli'));
    print({ group: groupId, added: subsystemId });
  });

  const access = program.command('access').description('access rights (deny by default)');
  access.command('grant <subject> <serviceId>').description('allow a subsystem or group to call a service, or one endpoint of it')
    .requiredOption('--legal-basis <text>', 'the law or agreement that allows it')
    .option('--method <method>').option('--path <template>', 'OpenAPI path template, with --method')
    .option('--valid-from <iso>').option('--valid-until <iso>')
    .action(async (subject: string, serviceId: string, o: { legalBasis: string; method?: string; path?: string; validFrom?: string; validUntil?: string }, cmd: Command) =>
      print({ id: await withRegistry(cmd, (r) => r.grant({ subject, serviceId, ...o }, 'cli')) }));
  access.command('revoke <id>').action(async (id: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.revoke(Number(id), 'cli'));
    print({ revoked: Number(id) });
  });

  program.command('list <what>').description('list members | subsystems | services | groups | access | changes')
    .action(async (what: string, _o: unknown, cmd: Command) => {
      const lists: Record<string, (r: Registry) => Promise<unknown>> = {
        members: (r) => r.listMembers(), subsystems: (r) => r.listSubsystems(), services: (r) => r.listServices(),
        groups: (r) => r.listGroups(), access: (r) => r.listAccessRights(), changes: (r) => r.listChanges(),
      };
      const list = lists[what];
      if (!list) fail(Errors.InvalidInput, `list what? one of ${Object.keys(lists).join(', ')}`);
      print(await withRegistry(cmd, list));
    });
}
