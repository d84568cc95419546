// A service's home node is registry data. Replays of the bug where a node started with another
// --node-id refused every exchange (Server.ClientProxy.NetworkError) after one CLI change, because
// the CLI published the snapshot under its own default id and every service moved to it.
import { fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './cli-entry.ts';
import { tabadolInProcess, type CliResult } from './tabadol-in-process.ts';
import { startTestNode, startTestProvider, seedRegistry, seedDataDir, PERSON_CONTRACT, SERVICE, POLICE, JUDICIARY, type TestNode, until } from './harness.ts';

// The CLI as an operator runs it: no TABADOL_NODE_ID, so it would have used its default id. Registry
// commands run in this process with no TABADOL_* setting at all; `start` below is a real process,
// since its exit status is the point.
const env: NodeJS.ProcessEnv = { ...process.env, TABADOL_LOG_LEVEL: 'silent' };
delete env.TABADOL_NODE_ID;

function tabadol(dataDir: string, ...args: string[]): Promise<CliResult> {
  return tabadolInProcess(['--data', dataDir, ...args]);
}

let provider: Awaited<ReturnType<typeof startTestProvider>>;
beforeAll(async () => { provider = await startTestProvider(); });
afterAll(async () => { await provider.close(); });

const person = `/r1/${SERVICE}/persons/0012345679`;

describe('a node started with --node-id other', () => {
  let t: TestNode;
  beforeAll(async () => {
    t = await startTestNode({ nodeId: 'other' });
    await seedRegistry(t.node, provider.baseUrl);
    await t.sync();
  });
  afterAll(async () => { await t.close(); });

  it('keeps answering after a CLI change, since the CLI publishes for the registry\'s central node', async () => {
    expect((await t.http(person, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);
    const versionBefore = t.node.snapshots.version;
    const grant = await tabadol(t.dataDir, 'access', 'grant', POLICE, SERVICE, '--legal-basis', 'Traffic act, art. 9');
    expect(grant.code, grant.stderr).toBe(0);
    const police = await until(() => t.http(person, { headers: { 'x-road-client': POLICE } }), (r) => r.status === 200);
    expect(police.headers['x-road-error']).toBeUndefined();
    expect(police.status).toBe(200);
    expect(t.node.snapshots.version).toBeGreaterThan(versionBefore);
    expect((await t.http(person, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);
    expect(t.node.snapshots.current?.doc.publisher).toBe('other');
  });

  it('routes a subsystem homed elsewhere (`subsystem add --home-node`) to that node, which it cannot reach yet', async () => {
    const unregistered = await tabadol(t.dataDir, 'subsystem', 'add', 'IR/GOV/NOCR/east', '--home-node', 'east-1');
    expect(unregistered.code).toBe(2);
    expect(unregistered.stderr).toMatch(/^error Admin\.NotFound: .*east-1.*node add/);
    // Registered without an address it can be reached at yet (a port nothing listens on).
    const node = await tabadol(t.dataDir, 'node', 'add', 'east-1', '--role', 'provincial', '--province', '04', '--url', 'https://127.0.0.1:9');
    expect(node.code, node.stderr).toBe(0);
    const added = await tabadol(t.dataDir, 'subsystem', 'add', 'IR/GOV/NOCR/east', '--home-node', 'east-1');
    expect(added.code, added.stderr).toBe(0);
    const bad = await tabadol(t.dataDir, 'subsystem', 'add', 'IR/GOV/NOCR/west', '--home-node', 'a/b');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error Admin\.InvalidInput: .*homeNode/);
    const r = t.node.registry;
    await r.putService({ serviceId: 'IR/GOV/NOCR/east/person', title: 'Person (east)', baseUrl: provider.baseUrl, contract: PERSON_CONTRACT });
    await r.grant({ subject: JUDICIARY, serviceId: 'IR/GOV/NOCR/east/person', legalBasis: 'Judiciary act, art. 1' });
    await t.sync();
    const east = await t.http('/r1/IR/GOV/NOCR/east/person/persons/0012345679', { headers: { 'x-road-client': JUDICIARY } });
    expect(east.headers['x-road-error']).toBe('Server.ClientProxy.NetworkError');
    expect(east.json().message).toContain('east-1');
    expect((await r.listSubsystems()).find((s) => s.id === 'IR/GOV/NOCR/east')?.home_node).toBe('east-1');
    expect((await t.http(person, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);
  });
});

describe('a node started with an id that is not its registry\'s central node', () => {
  let dataDir = '';
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-home-node-'));
    // Built with the CLI first: the registry's central node is the default, `central`.
    await seedDataDir(dataDir, provider.baseUrl);
  });
  afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

  it('is refused at start with a coded error naming the id to use, rather than serving nothing', async () => {
    const child = fork(CLI.module, ['--data', dataDir, 'start', '--node-id', 'other', '--http-port', '0', '--no-tls', '--admin-port', '0', '--portal-port', '0', '--node-port', '0'], {
      execArgv: CLI.execArgv, env, stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    const outcome = await new Promise<string | number | null>((resolve) => {
      child.once('message', () => { child.kill('SIGTERM'); resolve('started'); });
      child.once('exit', (code) => resolve(code));
    });
    expect(outcome).toBe(2);
    expect(stderr).toMatch(/error Admin\.NodeIdMismatch: .*started as other.*--node-id central/);
  });
});
