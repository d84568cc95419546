// How tests run the `tabadol` command in a child process, where the process is what a test is about
// (the compiled entry, a node's start and exit status; elsewhere tabadol-in-process.ts): compiled
// from dist/ when the build is at least as new as every source file (in CI, `npm ci` has just built
// it), which starts in about half the time; from the source through tsx otherwise, so that a test
// never runs stale code.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '..');
export const DIST = path.join(ROOT, 'dist');

/** `node [...execArgv] module args…`, or `fork(module, args, { execArgv })`. */
export interface CliEntry { module: string; execArgv: string[]; compiled: boolean }

/** True when dist/ holds a build made after the last change to any non-test source file. */
export async function distIsFresh(): Promise<boolean> {
  const built = await stat(path.join(DIST, 'cli/main.js')).then((s) => s.mtimeMs, () => undefined);
  if (built === undefined) return false;
  for (const e of await readdir(path.join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (e.isFile() && !e.name.endsWith('.test.ts') && (await stat(path.join(e.parentPath, e.name))).mtimeMs > built) return false;
  }
  return true;
}

export const CLI: CliEntry = await distIsFresh()
  ? { module: path.join(DIST, 'cli/main.js'), execArgv: [], compiled: true }
  : { module: path.join(ROOT, 'src/cli/main.ts'), execArgv: ['--import', 'tsx'], compiled: false };
