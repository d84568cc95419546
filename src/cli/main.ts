// The `tabadol` command: runs a node or its demo, and administers a node's data directory (the
// same registry operations as the admin API). Only this entry point reads the environment.
import { Command } from 'commander';
import { isTabadolError } from '../errors/catalogue.ts';
import { registerNodeCommands } from './node-commands.ts';
import { registerRegistryCommands } from './registry-commands.ts';
import { registerIdentityCommands } from './identity-commands.ts';
import { registerAuditCommands } from './audit-commands.ts';
import { registerScenarioCommands } from './scenario-commands.ts';

const program = new Command('tabadol')
  .description('Tabadol: an open national information exchange (X-Road REST compatible)')
  .option('-d, --data <dir>', 'data directory of the node', process.env.TABADOL_DATA ?? 'data')
  .option('--instance <code>', 'X-Road instance of this exchange', process.env.TABADOL_INSTANCE ?? 'IR');

registerNodeCommands(program);
registerRegistryCommands(program);
registerIdentityCommands(program);
registerAuditCommands(program);
registerScenarioCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (isTabadolError(e)) {
    process.stderr.write(`error ${e.type}: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
