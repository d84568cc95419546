// The `tabadol` command over a data directory: the same registry operations as the admin API,
// the certificate authority, and the offline audit. Run in this process (runCli): what is tested is
// the commands, their output and their exit status, not a process starting; test/home-node.test.ts
// and test/compiled.test.ts run real processes.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_CONTRACT } from './harness.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { tabadolInProcess, type CliResult } from './tabadol-in-process.ts';
import { latestSnapshot } from '../src/snapshot/publish.ts';

let dataDir: string;

function tabadol(...args: string[]): Promise<CliResult> {
  return tabadolInProcess(['--data', dataDir, ...args]);
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-cli-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the tabadol command', () => {
  it('builds a registry: member, subsystem, service from a contract file, access grant and revoke', async () => {
    const contract = path.join(dataDir, 'person.json');
    await writeFile(contract, JSON.stringify(PERSON_CONTRACT));
    expect((await tabadol('member', 'add', 'GOV', 'NOCR', 'Civil registration')).code).toBe(0);
    expect((await tabadol('member', 'add', 'GOV', 'POLICE', 'Police')).code).toBe(0);
    expect((await tabadol('subsystem', 'add', 'IR/GOV/NOCR/identity')).code).toBe(0);
    expect((await tabadol('subsystem', 'add', 'IR/GOV/POLICE/licensing')).code).toBe(0);
    const service = await tabadol('service', 'add', 'IR/GOV/NOCR/identity/person', '--contract', contract, '--base-url', 'http://10.0.0.5:9/nocr', '--title', 'Person');
    expect(service.code).toBe(0);
    const grant = await tabadol('access', 'grant', 'IR/GOV/POLICE/licensing', 'IR/GOV/NOCR/identity/person', '--legal-basis', 'Traffic act', '--method', 'POST', '--path', '/verify');
    expect(grant.code).toBe(0);
    const id = JSON.parse(grant.stdout).id as number;
    const list = JSON.parse((await tabadol('list', 'access')).stdout) as { id: number; method: string; path: string }[];
    expect(list).toEqual([expect.objectContaining({ id, method: 'POST', path: '/verify', subject_id: 'IR/GOV/POLICE/licensing' })]);
    expect((await tabadol('access', 'revoke', String(id))).code).toBe(0);
    expect(JSON.parse((await tabadol('list', 'access')).stdout)).toEqual([]);
  });

  it('refuses bad input with a coded error and exit status 2', async () => {
    const bad = await tabadol('access', 'grant', 'IR/GOV/POLICE/licensing', 'IR/GOV/NOCR/identity/person', '--legal-basis', 'x', '--method', 'GET', '--path', '/nothing');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error Admin\.InvalidInput: .*has no endpoint GET \/nothing/);
    const unknown = await tabadol('subsystem', 'add', 'IR/GOV/NOBODY/x');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Admin\.NotFound/);
  });

  it('issues a client certificate bound to a subsystem from the exchange CA', async () => {
    expect((await tabadol('ca', 'init')).code).toBe(0);
    expect((await tabadol('ca', 'init')).stderr).toMatch(/Admin\.CaExists/);
    const issued = await tabadol('cert', 'issue', 'IR/GOV/POLICE/licensing');
    expect(issued.code).toBe(0);
    const cert = new X509Certificate(await readFile(JSON.parse(issued.stdout).certPath));
    const ca = new X509Certificate(await readFile(path.join(dataDir, 'ca', 'ca.crt.pem')));
    expect(cert.checkIssued(ca)).toBe(true);
    expect(cert.subjectAltName).toContain('xroad:IR/GOV/POLICE/licensing');
  });

  it('revokes by serial or by subsystem, renews with a new key, and puts revoked serials in the snapshot', async () => {
    const list = async () => JSON.parse((await tabadol('cert', 'list', '--subsystem', 'IR/GOV/POLICE/licensing')).stdout) as { serial: string; revoked_at: string | null; not_after: string }[];
    const [first] = await list();
    expect(first).toMatchObject({ revoked_at: null });
    // One year by default.
    expect(Math.round((Date.parse(first!.not_after) - Date.now()) / 86_400_000)).toBe(365);

    const renewed = await tabadol('cert', 'renew', '--subsystem', 'IR/GOV/POLICE/licensing');
    expect(renewed.code).toBe(0);
    const r = JSON.parse(renewed.stdout);
    expect(r.serial).not.toBe(first!.serial);
    expect(r).toMatchObject({ previous: [{ serial: first!.serial }], previousRevoked: false });
    expect(r.note).toContain(`tabadol cert revoke --serial ${first!.serial}`);
    const cert = new X509Certificate(await readFile(r.certPath));
    expect(cert.serialNumber.toUpperCase()).toBe(r.serial);

    // OpenSSL's colon form names the same serial.
    const colons = first!.serial.match(/../g)!.join(':').toLowerCase();
    expect((await tabadol('cert', 'revoke', '--serial', colons)).code).toBe(0);
    const again = await tabadol('cert', 'revoke', '--serial', first!.serial);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/Admin\.Conflict: .*already revoked/);
    const unknown = await tabadol('cert', 'revoke', '--serial', 'ABCDEF');
    expect(unknown.stderr).toMatch(/Admin\.NotFound/);

    const bySubsystem = await tabadol('cert', 'revoke', '--subsystem', 'IR/GOV/POLICE/licensing', '--reason', 'laptop stolen');
    expect(JSON.parse(bySubsystem.stdout).revoked).toEqual([expect.objectContaining({ serial: r.serial })]);
    expect((await list()).every((c) => c.revoked_at !== null)).toBe(true);

    const opened = await openRegistryAt(dataDir);
    const doc = JSON.parse((await latestSnapshot(opened.registry.db))!.document);
    await opened.close();
    expect(doc.revokedSerials).toEqual(expect.arrayContaining([first!.serial, r.serial]));

    const unregistered = await tabadol('cert', 'issue', 'IR/GOV/NOBODY/x');
    expect(unregistered.stderr).toMatch(/Admin\.NotFound/);
  });

  it('refuses a loopback provider (in any spelling) until the operator allows it, and keeps the entry while a service relies on it', async () => {
    const contract = path.join(dataDir, 'person.json');
    const add = (url: string) => tabadol('service', 'add', 'IR/GOV/NOCR/identity/local', '--contract', contract, '--base-url', url, '--title', 'Local');
    const hex = await add('http://0x7f.1:9/x');
    expect(hex.code).toBe(2);
    expect(hex.stderr).toMatch(/Admin\.InvalidInput: .*loopback.*provider-hosts allow 127\.0\.0\.1:9/);
    expect((await tabadol('provider-hosts', 'allow', '127.0.0.1:9', '--note', 'a provider on this machine')).code).toBe(0);
    expect((await add('http://127.0.0.1:9/x')).code).toBe(0);
    const busy = await tabadol('provider-hosts', 'remove', '127.0.0.1:9');
    expect(busy.stderr).toMatch(/Admin\.Conflict: .*IR\/GOV\/NOCR\/identity\/local/);
    expect((await tabadol('service', 'remove', 'IR/GOV/NOCR/identity/local')).code).toBe(0);
    expect((await tabadol('provider-hosts', 'remove', '127.0.0.1:9')).code).toBe(0);
    expect(JSON.parse((await tabadol('provider-hosts', 'list')).stdout)).toEqual([]);
  });

  it('removes group members, subsystems and members in order, refusing what would leave things dangling', async () => {
    const nocr = await tabadol('subsystem', 'remove', 'IR/GOV/NOCR/identity');
    expect(nocr.stderr).toMatch(/Admin\.Conflict: .*still provides services \(IR\/GOV\/NOCR\/identity\/person\)/);
    const member = await tabadol('member', 'remove', 'IR/GOV/POLICE');
    expect(member.stderr).toMatch(/Admin\.Conflict: .*still has subsystems \(IR\/GOV\/POLICE\/licensing\)/);

    expect((await tabadol('group', 'add', 'traffic', 'Traffic bodies')).code).toBe(0);
    expect((await tabadol('group', 'add-member', 'IR/traffic', 'IR/GOV/POLICE/licensing')).code).toBe(0);
    expect((await tabadol('group', 'remove-member', 'IR/traffic', 'IR/GOV/POLICE/licensing')).code).toBe(0);
    expect((await tabadol('group', 'remove-member', 'IR/traffic', 'IR/GOV/POLICE/licensing')).stderr).toMatch(/Admin\.NotFound/);
    expect((await tabadol('group', 'add-member', 'IR/traffic', 'IR/GOV/POLICE/licensing')).code).toBe(0);
    const grant = await tabadol('access', 'grant', 'IR/GOV/POLICE/licensing', 'IR/GOV/NOCR/identity/person', '--legal-basis', 'Traffic act');
    expect(grant.code).toBe(0);
    const police = await tabadol('cert', 'issue', 'IR/GOV/POLICE/licensing');
    const serial = JSON.parse(police.stdout).serial as string;

    expect((await tabadol('subsystem', 'remove', 'IR/GOV/POLICE/licensing')).code).toBe(0);
    expect((await tabadol('member', 'remove', 'IR/GOV/POLICE')).code).toBe(0);
    const changes = JSON.parse((await tabadol('list', 'changes')).stdout) as { action: string; object_id: string; detail: string }[];
    const removal = changes.find((c) => c.action === 'subsystem.remove')!;
    expect(JSON.parse(removal.detail)).toEqual({
      accessRightsRemoved: [expect.objectContaining({ serviceId: 'IR/GOV/NOCR/identity/person', legalBasis: 'Traffic act' })],
      groupsLeft: ['IR/traffic'],
      certificatesRevoked: [serial],
    });
    expect(changes.some((c) => c.action === 'member.remove' && c.object_id === 'IR/GOV/POLICE')).toBe(true);
    expect(JSON.parse((await tabadol('list', 'access')).stdout)).toEqual([]);
    expect(JSON.parse((await tabadol('list', 'groups')).stdout)).toEqual([expect.objectContaining({ id: 'IR/traffic', members: [] })]);
  });

  it('audits a records store and fails on a missing one', async () => {
    const missing = await tabadol('audit', 'verify');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no records database/);
  });
});

describe('the tabadol command run inside another program', () => {
  // Commander ends the process on help and on a usage error unless told not to; here either would
  // end the test run itself.
  it('writes help to the output it is given and returns 0, leaving the process running', async () => {
    const help = await tabadol('--help');
    expect(help).toMatchObject({ code: 0, stderr: '' });
    expect(help.stdout).toMatch(/^Usage: tabadol \[options\] \[command\]/);
    expect(help.stdout).toContain('audit');
    const sub = await tabadol('cert', 'revoke', '--help');
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(/^Usage: tabadol cert revoke \[options\]/);
  });

  it('answers a usage error with exit status 1 and commander\'s message on its error output', async () => {
    const missing = await tabadol('member', 'add', 'GOV');
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/^error: missing required argument 'code'/);
    const unknown = await tabadol('list', 'members', '--no-such-flag');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/unknown option '--no-such-flag'/);
  });

  it('reads its settings from the environment it is given', async () => {
    const members = await tabadolInProcess(['list', 'members'], { TABADOL_DATA: dataDir });
    expect(members.code, members.stderr).toBe(0);
    expect(JSON.parse(members.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'IR/GOV/NOCR' })]));
    const added = await tabadolInProcess(['member', 'add', 'COM', 'BANK', 'A bank'], { TABADOL_DATA: dataDir, TABADOL_INSTANCE: 'XX' });
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toEqual({ id: 'XX/COM/BANK' });
  });
});
