// The `tabadol` command: runs a node or its demo, and administers a node's data directory (the
// same registry operations as the admin API). Only this entry point reads the process's
// environment and streams; the commands themselves are in program.ts.
import { runCli } from './program.ts';

const code = await runCli(process.argv.slice(2), {
  out: (s) => { process.stdout.write(s); },
  err: (s) => { process.stderr.write(s); },
  env: process.env,
});
process.exitCode = code;
// A command that failed may leave handles open (a node refused halfway through its start): its
// status is the answer, so the process ends now. A successful one ends when nothing is left to
// do, or keeps serving (`start`, `demo`) until a signal.
if (code !== 0) process.exit(code);
