// The `tabadol` command evaluates the simulation (src/simulation: agencies, demo, scenario) only in
// the `demo` and `scenario` actions, which import it when they run: every other command, and the
// help of those two, starts without the simulated agencies' modules or their synthetic population.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ROOT } from './cli-entry.ts';

const TRACE = path.join(import.meta.dirname, 'module-trace.mjs');

let tmp: string;
let dataDir: string;
let runs = 0;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'tabadol-cli-modules-'));
  dataDir = path.join(tmp, 'data');
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

/** Runs `tabadol args…` and returns its exit code, stderr and the modules it loaded (repository-relative). */
function tabadol(...args: string[]): Promise<{ code: number; stderr: string; modules: string[] }> {
  const traceFile = path.join(tmp, `trace-${++runs}.txt`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      // The trace hooks are registered after the TypeScript loader, so they see each module's final URL.
      [...CLI.execArgv, '--import', TRACE, CLI.module, '--data', dataDir, ...args],
      { env: { ...process.env, MODULE_TRACE_FILE: traceFile } },
      (err, _stdout, stderr) => {
        readFile(traceFile, 'utf8').then((text) => {
          const modules = text.split('\n').filter(Boolean).map((url) => path.relative(ROOT, fileURLToPath(url)).split(path.sep).join('/'));
          resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr, modules });
        }, reject);
      },
    );
  });
}

const SIMULATION = /^(src|dist)\/simulation\//;
const CLI_MAIN = /^(src\/cli\/main\.ts|dist\/cli\/main\.js)$/;

describe('the tabadol command and the simulation', () => {
  it.each(['--help', 'list members', 'demo --help', 'scenario run --help'])('`tabadol %s` loads no module of the simulation', async (line) => {
    const r = await tabadol(...line.split(' '));
    expect(r.code, r.stderr).toBe(0);
    // The trace saw the command's own modules, so an empty list below is a real absence.
    expect(r.modules.some((m) => CLI_MAIN.test(m))).toBe(true);
    expect(r.modules.filter((m) => SIMULATION.test(m))).toEqual([]);
  });

  it('a scenario command loads the simulation when its action runs (the trace sees it)', async () => {
    // The behaviour table is read after the scenario is built: the command fails on it, coded.
    const r = await tabadol('scenario', 'agencies', '--behaviour', path.join(tmp, 'no-such-table.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error Admin\.InvalidInput: .*cannot read the behaviour table/);
    expect(r.modules).toEqual(expect.arrayContaining([expect.stringMatching(/^(src|dist)\/simulation\/scenario\/scenario\.(ts|js)$/)]));
  });
});
