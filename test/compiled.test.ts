// The node as it ships: compiled JavaScript run by plain `node`, no TypeScript loader. The rest of
// the suite runs the source through tsx and vitest, which would hide a compiled node that cannot
// start its record writer thread or find a data file it reads at run time.
//
// dist/ is used when it is at least as new as every source file (CI: `npm ci` has just built it);
// otherwise the node is built into a directory of this test's own, leaving dist/ alone.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, ROOT, distIsFresh } from './cli-entry.ts';

let build: string;
let ownBuild: string | undefined;
let dataDir: string;
let demo: ChildProcess | undefined;
let output = '';

function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, argv, { cwd: ROOT }, (err, stdout, stderr) => resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stdout, stderr }));
  });
}

/** Resolves once the output so far satisfies `done`; fails if the process exits first. */
function waitForOutput(child: ChildProcess, done: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const check = () => { if (done(output)) { child.stdout!.off('data', check); child.off('exit', exited); resolve(output); } };
    const exited = (code: number | null) => reject(new Error(`the compiled demo exited (${code}) before it was ready:\n${output.slice(-4000)}`));
    child.stdout!.on('data', check);
    child.once('exit', exited);
    check();
  });
}

beforeAll(async () => {
  if (await distIsFresh()) {
    build = DIST;
  } else {
    ownBuild = path.join('.tmp', `compiled-test-${process.pid}`);
    const r = await run(['scripts/build.mjs', '--out', ownBuild]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    build = path.join(ROOT, ownBuild);
  }
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-compiled-'));
}, 180_000);

afterAll(async () => {
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo!.once('exit', r));
    demo.kill('SIGKILL');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
  if (ownBuild) await rm(path.join(ROOT, ownBuild), { recursive: true, force: true });
});

describe('the compiled node', () => {
  it('needs no TypeScript loader: no import of tsx and no .ts module in the build', async () => {
    const files = (await readdir(build, { recursive: true })).filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
    expect(files).toContain(path.join('records', 'writer-thread.js'));
    for (const f of files) {
      const text = await readFile(path.join(build, f), 'utf8');
      expect(text, f).not.toMatch(/^\s*(import|export)\b[^\n]*\bfrom\s+['"](tsx\b|[^'"]+\.ts['"])/m);
      expect(text, f).not.toMatch(/\bimport\(\s*['"](tsx\b|[^'"]+\.ts['"])/);
    }
  });

  it('runs the demo from plain JavaScript: exchanges recorded by the writer thread, divisions read from the bundled file', async () => {
    demo = spawn(process.execPath, [path.join(build, 'cli/main.js'), '--data', dataDir, 'demo',
      '--admin-port', '0', '--tls-port', '0', '--http-port', '0', '--agency-port', '0', '--portal-port', '0', '--node-port', '0'],
    { cwd: ROOT, env: { ...process.env, TABADOL_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.setEncoding('utf8').on('data', (s: string) => { output += s; });
    demo.stderr!.setEncoding('utf8').on('data', (s: string) => { output += s; });
    const guide = await waitForOutput(demo, (t) => /data \(HTTP\)\s+http:\/\/127\.0\.0\.1:\d+/.test(t));
    const origin = /data \(HTTP\)\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(guide)![1]!;

    // An answer leaves only once its record is durable: a 200 means the writer thread committed it.
    const person = await fetch(`${origin}/r1/IR/GOV/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15`, {
      headers: { 'X-Road-Client': 'IR/GOV/JUDICIARY/case-management', 'X-Road-UserId': 'judge-1' },
    });
    expect(person.status).toBe(200);
    expect(await person.json()).toMatchObject({ nationalCode: '0012345679', matches: true });
    const counties = await fetch(`${origin}/r1/IR/GOV/SCI/divisions/provinces/provinces/23/counties`, { headers: { 'X-Road-Client': 'IR/COM/SAMAN/kyc' } });
    expect(counties.status).toBe(200);
    expect(await counties.json()).toMatchObject({ counties: expect.arrayContaining([expect.objectContaining({ code: '2301', nameEn: 'Tehran' })]) });

    const exited = new Promise<number | null>((r) => demo!.once('exit', r));
    demo.kill('SIGTERM');
    expect(await exited).toBe(0);

    const audit = await run([path.join(build, 'cli/main.js'), '--data', dataDir, 'audit', 'verify']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(JSON.parse(audit.stdout)).toMatchObject({ ok: true, chains: [expect.objectContaining({ records: 2, ok: true })] });
  });

  // The rest of the suite runs commands in its own process (runCli); the exit status of a real
  // process is main.ts's part, checked here on the build as it ships.
  it('ends the process with its command\'s status: 2 and one plain line for a coded refusal, 1 for a usage error', async () => {
    const main = path.join(build, 'cli/main.js');
    const refused = await run([main, '--data', dataDir, 'audit', 'verify', '--records', path.join(dataDir, 'no-such.db')]);
    expect(refused).toMatchObject({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^error Admin\.InvalidInput: [^\n]*no records database[^\n]*\n$/);
    const usage = await run([main, '--data', dataDir, 'member', 'add', 'GOV']);
    expect(usage).toMatchObject({ code: 1, stdout: '' });
    expect(usage.stderr).toMatch(/missing required argument/);
  });
});
