// `node --import ./test/module-trace.mjs …`: records every module the process loads into the file
// named by MODULE_TRACE_FILE (see module-trace-hooks.mjs).
import { register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url, { data: { file: process.env.MODULE_TRACE_FILE } });
