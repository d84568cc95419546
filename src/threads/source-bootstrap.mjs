// Used only when the node runs from source (see thread-entry.ts): worker threads start without the
// TypeScript loader of their parent (tsx or vitest), so register it, then run the thread's module,
// whose URL thread-entry.ts passes as the worker's last argument. Plain JavaScript on purpose: it
// runs before any loader exists.
import { register } from 'tsx/esm/api';
register();
await import(process.argv[process.argv.length - 1]);
