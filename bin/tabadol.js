#!/usr/bin/env node
// The installed `tabadol` command: runs the compiled CLI in dist/, which `npm install` builds (the
// `prepare` script). From a checkout without a build, say how to make one rather than fail on a
// missing module.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('tabadol: the compiled node is missing (dist/); run `npm run build` in the package directory\n');
  process.exit(1);
}
await import(main.href);
