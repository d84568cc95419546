// The registry of a data directory, opened by a process other than the node (the CLI, tools,
// tests): the node picks its changes up at the next snapshot poll. Such a process acts on behalf
// of the node that owns the registry: its snapshots name the registry's central node, and `nodeId`
// only names the central node of a registry created here (registry/central-node.ts).
import { loadOrCreateNodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore } from '../store/database.ts';
import { Registry } from './registry.ts';

export interface OpenedRegistry { registry: Registry; close(): Promise<void> }

export async function openRegistryAt(dataDir: string, o: { instance?: string; nodeId?: string } = {}): Promise<OpenedRegistry> {
  const keys = await loadOrCreateNodeKeys(dataDir);
  const store = await openRegistryStore(dataDir);
  const registry = new Registry(store.db, {
    instance: o.instance ?? 'IR', nodeId: o.nodeId ?? 'central', role: 'tool', signingKey: keys.signingKey,
    validityMs: 24 * 3600_000, now: () => new Date(),
  });
  return { registry, close: () => store.close() };
}
