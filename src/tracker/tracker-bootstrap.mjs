// Used only when the node runs from source (see tracker-host.ts): worker threads start without the
// TypeScript loader of their parent (tsx or vitest), so register it, then run the tracker thread.
// Plain JavaScript on purpose: it runs before any loader exists.
import { register } from 'tsx/esm/api';
register();
await import('./tracker-thread.ts');
