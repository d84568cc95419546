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
      print(cmd, { id: await withRegistry(cmd, (r) => r.addMember({ memberClass, memberCode, name, nameFa: o.nameFa }, 'cli')) }));
  member.command('remove <id>').description('remove INSTANCE/CLASS/MEMBER; refused while it has subsystems')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await withRegistry(cmd, (r) => r.removeMember(id, 'cli'));
      print(cmd, { removed: id });
    });

  const subsystem = program.command('subsystem').description('subsystems (information systems of members)');
  subsystem.command('add <id>').description('add INSTANCE/CLASS/MEMBER/SUBSYSTEM').option('--name <name>')
    .option('--home-node <node>', "the node whose providers serve its services (default: the registry's central node)")
    .option('--province <code>', 'province code 00–30 it serves from (default: national)')
    .action(async (subsystemId: string, o: { name?: string; homeNode?: string; province?: string }, cmd: Command) =>
      print(cmd, { id: await withRegistry(cmd, (r) => r.addSubsystem({ subsystemId, name: o.name, homeNode: o.homeNode, province: o.province }, 'cli')) }));
  subsystem.command('nodes <id> <nodes...>')
    .description('set the nodes serving its services: the home node first, then standbys that consumers\' nodes fail over to, in order')
    .action(async (id: string, nodes: string[], _o: unknown, cmd: Command) =>
      print(cmd, await withRegistry(cmd, (r) => r.setSubsystemNodes(id, nodes, 'cli'))));
  subsystem.command('remove <id>')
    .description('remove a subsystem, with its own access rights and group memberships, revoking its certificates; refused while it provides services')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      await withRegistry(cmd, (r) => r.removeSubsystem(id, 'cli'));
      print(cmd, { removed: id });
    });

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
      print(cmd, { id: await withRegistry(cmd, (r) => r.putService({
        serviceId, title: o.title, baseUrl: o.baseUrl, contract, timeoutMs: o.timeoutMs, maxRatePerSecond: o.maxRate,
      }, 'cli', o.replace === true)) });
    });
  service.command('remove <id>').action(async (id: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.removeService(id, 'cli'));
    print(cmd, { removed: id });
  });

  const group = program.command('group').description('groups of subsystems');
  group.command('add <code> <description>').action(async (code: string, description: string, _o: unknown, cmd: Command) =>
    print(cmd, { id: await withRegistry(cmd, (r) => r.addGroup(code, description, 'cli')) }));
  group.command('add-member <groupId> <subsystemId>').action(async (groupId: string, subsystemId: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.addGroupMember(groupId, subsystemId, 'cli'));
    print(cmd, { group: groupId, added: subsystemId });
  });
  group.command('remove-member <groupId> <subsystemId>').action(async (groupId: string, subsystemId: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.removeGroupMember(groupId, subsystemId, 'cli'));
    print(cmd, { group: groupId, removed: subsystemId });
  });

  const hosts = program.command('provider-hosts')
    .description('the allow-list for provider base URLs on this machine, loopback or link-local addresses (refused otherwise)');
  hosts.command('allow <host>').description('allow HOST (every port but the node\'s own) or HOST:PORT')
    .option('--note <text>', 'why, for the change log and the list')
    .action(async (host: string, o: { note?: string }, cmd: Command) =>
      print(cmd, { allowed: await withRegistry(cmd, (r) => r.allowProviderHost(host, o.note, 'cli')) }));
  hosts.command('remove <host>').description('remove an entry; refused while a service relies on it')
    .action(async (host: string, _o: unknown, cmd: Command) => {
      await withRegistry(cmd, (r) => r.removeProviderHost(host, 'cli'));
      print(cmd, { removed: host });
    });
  hosts.command('list').action(async (_o: unknown, cmd: Command) => print(cmd, await withRegistry(cmd, (r) => r.listProviderHosts())));

  const access = program.command('access').description('access rights (deny by default)');
  access.command('grant <subject> <serviceId>').description('allow a subsystem or group to call a service, or one endpoint of it')
    .requiredOption('--legal-basis <text>', 'the law or agreement that allows it')
    .option('--method <method>').option('--path <template>', 'OpenAPI path template, with --method')
    .option('--valid-from <iso>').option('--valid-until <iso>')
    .action(async (subject: string, serviceId: string, o: { legalBasis: string; method?: string; path?: string; validFrom?: string; validUntil?: string }, cmd: Command) =>
      print(cmd, { id: await withRegistry(cmd, (r) => r.grant({ subject, serviceId, ...o }, 'cli')) }));
  access.command('revoke <id>').action(async (id: string, _o: unknown, cmd: Command) => {
    await withRegistry(cmd, (r) => r.revoke(Number(id), 'cli'));
    print(cmd, { revoked: Number(id) });
  });

  program.command('list <what>').description('list members | subsystems | services | groups | access | certificates | provider-hosts | changes')
    .action(async (what: string, _o: unknown, cmd: Command) => {
      const lists: Record<string, (r: Registry) => Promise<unknown>> = {
        members: (r) => r.listMembers(), subsystems: (r) => r.listSubsystems(), services: (r) => r.listServices(),
        groups: (r) => r.listGroups(), access: (r) => r.listAccessRights(), certificates: (r) => r.listCertificates(),
        'provider-hosts': (r) => r.listProviderHosts(), changes: (r) => r.listChanges(),
      };
      const list = lists[what];
      if (!list) fail(Errors.InvalidInput, `list what? one of ${Object.keys(lists).join(', ')}`);
      print(cmd, await withRegistry(cmd, list));
    });
}
