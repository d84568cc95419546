// The registry of a data directory, opened by a process other than the node (the CLI, tools,
// tests): the node picks its changes up at the next snapshot poll.
import { loadOrCreateNodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore } from '../store/database.ts';
import { Registry } from './registry.ts';

export interface OpenedRegistry { registry: Registry; close(): Promise<void> }

export async function openRegistryAt(dataDir: string, o: { instance?: string; nodeId?: string } = {}): Promise<OpenedRegistry> {
  const keys = await loadOrCreateNodeKeys(dataDir);
  const store = await openRegistryStore(dataDir);
  const registry = new Registry(store.db, {
    instance: o.instance ?? 'IR', nodeId: o.nodeId ?? 'central', signingKey: keys.signingKey,
    validityMs: 24 * 3600_000, now: () => new Date(),
  });
  return { registry, close: () => store.close() };
}
