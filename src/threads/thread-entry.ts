// Where a worker thread of the node starts. Compiled (dist/), a thread is the JavaScript module beside
// the module that starts it. Run from source (tsx, vitest), a worker thread does not inherit its
// parent's TypeScript loader, so it starts in source-bootstrap.mjs, which registers one and then
// imports the thread's TypeScript module, named in the worker's argv.
import type { WorkerOptions } from 'node:worker_threads';

export interface ThreadEntry {
  url: URL;
  options: Pick<WorkerOptions, 'argv'>;
}

/** @param callerUrl `import.meta.url` of the module starting the thread; @param name the thread's module beside it, without extension. */
export function threadEntry(callerUrl: string, name: string): ThreadEntry {
  if (!callerUrl.endsWith('.ts')) return { url: new URL(`./${name}.js`, callerUrl), options: {} };
  return { url: new URL('./source-bootstrap.mjs', import.meta.url), options: { argv: [new URL(`./${name}.ts`, callerUrl).href] } };
}
