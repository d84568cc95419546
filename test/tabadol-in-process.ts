// `tabadol args…` run in the test's own process: the program main.ts runs (src/cli/program.ts), with
// its output captured and its environment chosen, in milliseconds rather than the seconds a new
// process takes to start on a busy machine. For tests where the process boundary is not the point;
// cli-entry.ts starts a real process for those where it is.
import { runCli } from '../src/cli/program.ts';

export interface CliResult { code: number; stdout: string; stderr: string }

/** Runs the command as an operator would with the environment `env`: none by default, so that no
 * TABADOL_* setting of the test's own process leaks in. */
export async function tabadolInProcess(args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { out: (s) => { stdout += s; }, err: (s) => { stderr += s; }, env });
  return { code, stdout, stderr };
}
