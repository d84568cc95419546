// The registry of a data directory, opened by a process other than the node (the CLI, tools,
// tests): the node picks its changes up at the next snapshot poll. Such a process acts on behalf
// of the node that owns the registry: its snapshots name the registry's central node, and `nodeId`
// only names the central node of a registry created here (registry/central-node.ts).
import { loadOrCreateSnapshotSigningKey } from '../keys/snapshot-signing-key.ts';
import { openRegistryStore } from '../store/database.ts';
import { Registry } from './registry.ts';
import { RegistryNodes } from './nodes.ts';

export interface OpenedRegistry { registry: Registry; nodes: RegistryNodes; close(): Promise<void> }

export async function openRegistryAt(dataDir: string, o: { instance?: string; nodeId?: string } = {}): Promise<OpenedRegistry> {
  // Snapshots are signed with the snapshot key, as the node's control plane signs them.
  const { signingKey } = await loadOrCreateSnapshotSigningKey(dataDir);
  const store = await openRegistryStore(dataDir);
  const options = { instance: o.instance ?? 'IR', nodeId: o.nodeId ?? 'central', role: 'tool', signingKey, validityMs: 24 * 3600_000, now: () => new Date() } as const;
  return { registry: new Registry(store.db, options), nodes: new RegistryNodes(store.db, options), close: () => store.close() };
}
