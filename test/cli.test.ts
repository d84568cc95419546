// The `tabadol` command over a data directory: the same registry operations as the admin API,
// the certificate authority, and the offline audit.
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_CONTRACT } from './harness.ts';

let dataDir: string;

function tabadol(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', path.resolve('src/cli/main.ts'), '--data', dataDir, ...args], (err, stdout, stderr) => {
      resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr });
    });
  });
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
    const service = await tabadol('service', 'add', 'IR/GOV/NOCR/identity/person', '--contract', contract, '--base-url', 'http://127.0.0.1:9/nocr', '--title', 'Person');
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

  it('audits a records store and fails on a missing one', async () => {
    const missing = await tabadol('audit', 'verify');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no records database/);
  });
});
