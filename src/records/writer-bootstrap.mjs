// Used only when the node runs from source (see recorder.ts): worker threads start without the
// TypeScript loader of their parent (tsx or vitest), so register it, then run the writer thread.
// Plain JavaScript on purpose: it runs before any loader exists.
import { register } from 'tsx/esm/api';
register();
await import('./writer-thread.ts');
