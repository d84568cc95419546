// `tabadol user …`: the portal dashboard's accounts (src/portal/accounts/users.ts).
//
//   user add NAME --role operator|overseer|inspector --password-file FILE   (or TABADOL_PASSWORD)
//   user list | user remove NAME | user unlock NAME
//
// A password is never an argument: the command line is in the shell's history and, while the command
// runs, in every user's process list (ps). It is read from a file (its first line) or from the
// TABADOL_PASSWORD environment variable, for scripts. A running node sees a new user at its next
// login and a removed one within a minute (its sessions end).
import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import { Users } from '../portal/accounts/users.ts';
import { print, runOf, withRegistry } from './context.ts';

interface AddFlags { role: string; passwordFile?: string; password?: string }

async function passwordOf(cmd: Command, o: AddFlags): Promise<string> {
  if (o.password !== undefined) fail(Errors.AccountPasswordOnCommandLine);
  if (o.passwordFile !== undefined) {
    let text: string;
    try {
      text = await readFile(o.passwordFile, 'utf8');
    } catch (e) {
      fail(Errors.AccountInvalidInput, `the password file ${JSON.stringify(o.passwordFile)} cannot be read`, e);
    }
    // The first line, without its line end: `echo secret > file` must not add a newline to the password.
    return text.split(/\r?\n/, 1)[0] ?? '';
  }
  const env = runOf(cmd).env.TABADOL_PASSWORD;
  if (env !== undefined && env !== '') return env;
  return fail(Errors.AccountInvalidInput, 'no password: give --password-file FILE or set TABADOL_PASSWORD');
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('accounts of the portal\'s dashboard: operators, overseers (the working group), inspectors');

  user.command('add <name>')
    .description('add an account; the password from --password-file or TABADOL_PASSWORD, never the command line')
    .requiredOption('--role <role>', 'operator (everything) | overseer (oversight data, reads the rest) | inspector (reads only)')
    .option('--password-file <file>', 'a file whose first line is the password (12 to 1024 characters)')
    // Declared only to refuse it with a reason, rather than commander's "unknown option".
    .addOption(new Option('--password <password>').hideHelp())
    .action(async (name: string, o: AddFlags, cmd: Command) => {
      const password = await passwordOf(cmd, o);
      print(cmd, await withRegistry(cmd, (r) => new Users(r.db).add(name, o.role, password)));
    });

  user.command('list')
    .description('the accounts, their roles, last login and lock-out (never a password hash)')
    .action(async (_o: unknown, cmd: Command) => {
      print(cmd, await withRegistry(cmd, (r) => new Users(r.db).list()));
    });

  user.command('remove <name>')
    .description('remove an account; its sessions on a running node end within a minute')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      await withRegistry(cmd, (r) => new Users(r.db).remove(name));
      print(cmd, { removed: name });
    });

  user.command('unlock <name>')
    .description('end the lock-out of an account after repeated wrong passwords (it ends by itself after 15 minutes)')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      await withRegistry(cmd, (r) => new Users(r.db).unlock(name));
      print(cmd, { unlocked: name });
    });
}
