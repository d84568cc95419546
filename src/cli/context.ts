// Opens a node's data directory for one CLI command: store, keys and registry operations.
import type { Command } from 'commander';
import { openRegistryStore } from '../store/database.ts';
import { loadOrCreateNodeKeys } from '../keys/node-keys.ts';
import { Registry } from '../registry/registry.ts';

export interface GlobalOptions { data: string; instance: string }

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export async function withRegistry<T>(cmd: Command, fn: (r: Registry) => Promise<T>): Promise<T> {
  const g = globals(cmd);
  const keys = await loadOrCreateNodeKeys(g.data);
  const store = await openRegistryStore(g.data);
  try {
    return await fn(new Registry(store.db, {
      instance: g.instance, nodeId: process.env.TABADOL_NODE_ID ?? 'central', signingKey: keys.signingKey,
      validityMs: 24 * 3600_000, now: () => new Date(),
    }));
  } finally {
    await store.close();
  }
}

export function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
