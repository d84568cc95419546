// What one run of the `tabadol` command reaches of the world around it: where its output goes, the
// environment it reads, the exit status it sets, and the data directory's registry.
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import type { Registry } from '../registry/registry.ts';
import { openRegistryAt } from '../registry/open-registry.ts';

/** The process's own streams and environment in `tabadol` (main.ts); buffers and a chosen
 * environment when a command runs inside another program, as the tests run it. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Read for TABADOL_* settings; none when absent. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** One run: its io and the exit status its command asks for (0 unless it sets one). */
export class CliRun {
  exitCode = 0;
  readonly env: Readonly<Record<string, string | undefined>>;

  constructor(readonly io: CliIo) {
    this.env = io.env ?? {};
  }

  out(text: string): void { this.io.out(text); }
  err(text: string): void { this.io.err(text); }
  print(value: unknown): void { this.io.out(JSON.stringify(value, null, 2) + '\n'); }
}

// Commander hands every action its own command, whose root is the program of this run: the run
// travels with it, so that the command files register their commands without threading it through.
const runs = new WeakMap<Command, CliRun>();

export function bindRun(program: Command, io: CliIo): CliRun {
  const run = new CliRun(io);
  runs.set(program, run);
  return run;
}

/** The run a command belongs to. */
export function runOf(cmd: Command): CliRun {
  let root = cmd;
  while (root.parent) root = root.parent;
  return runs.get(root) ?? fail(Errors.InternalError, 'a command outside the tabadol program');
}

export interface GlobalOptions { data: string; instance: string }

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export async function withRegistry<T>(cmd: Command, fn: (r: Registry) => Promise<T>): Promise<T> {
  const g = globals(cmd);
  const opened = await openRegistryAt(g.data, { instance: g.instance, nodeId: runOf(cmd).env.TABADOL_NODE_ID ?? 'central' });
  try {
    return await fn(opened.registry);
  } finally {
    await opened.close();
  }
}

/** Prints a command's result as JSON on its output. */
export function print(cmd: Command, value: unknown): void {
  runOf(cmd).print(value);
}
