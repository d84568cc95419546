// The `tabadol` command as a function: `runCli(argv, io)` parses and runs one command line with
// its output and environment given, and returns the exit status instead of ending the process.
// main.ts runs it on the process's own streams; tests run it in their own process. Commander never
// exits the process here (exitOverride): help and usage errors come back as its CommanderError,
// with their text already written through io.
import { Command, CommanderError } from 'commander';
import { isTabadolError } from '../errors/catalogue.ts';
import { bindRun, runOf, type CliIo } from './context.ts';
import { registerNodeCommands } from './node-commands.ts';
import { registerRegistryCommands } from './registry-commands.ts';
import { registerIdentityCommands } from './identity-commands.ts';
import { registerNodeCertCommands } from './node-cert-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerScenarioCommands } from './scenario-commands.ts';
import { registerOversightCommands } from './oversight-commands.ts';
import { registerStatsCommands } from './stats-commands.ts';
import { registerReportCommands } from './report-commands.ts';
import { registerComplianceCommands } from './compliance-commands.ts';
import { registerUserCommands } from './user-commands.ts';
import { registerNodesCommands } from './nodes-commands.ts';

export type { CliIo } from './context.ts';

/** Exit status of a command refused with a coded error (bad input, a conflict, a damaged store). */
export const EXIT_REFUSED = 2;

/** A fresh program for one run: commander keeps parsed state on its commands, so none is reused. */
export function buildProgram(io: CliIo): Command {
  const env = io.env ?? {};
  const program = new Command('tabadol')
    .description('Tabadol: an open national information exchange (X-Road REST compatible)')
    // Inherited by every command created below (commander copies both settings to subcommands).
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .option('-d, --data <dir>', 'data directory of the node', env.TABADOL_DATA ?? 'data')
    .option('--instance <code>', 'X-Road instance of this exchange', env.TABADOL_INSTANCE ?? 'IR');
  bindRun(program, io);

  registerNodeCommands(program);
  registerRegistryCommands(program);
  registerIdentityCommands(program);
  registerNodeCertCommands(program);
  registerAuditCommands(program);
  registerScenarioCommands(program);
  registerOversightCommands(program);
  registerStatsCommands(program);
  registerReportCommands(program);
  registerComplianceCommands(program);
  registerUserCommands(program);
  registerNodesCommands(program);
  return program;
}

/** Runs `tabadol argv…` (the arguments after the program name) and returns its exit status: 0, the
 * command's own status (1 for a failed audit), 1 for a usage error, 2 for a coded refusal. Errors
 * that are not coded are thrown: they are faults, not answers. Long-running commands (`start`,
 * `demo`, `scenario agencies`) return once serving; their servers keep the process alive. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isTabadolError(e)) {
      io.err(`error ${e.type}: ${e.message}\n`);
      return EXIT_REFUSED;
    }
    throw e;
  }
  return runOf(program).exitCode;
}
