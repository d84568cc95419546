// Opens a node's data directory for one CLI command: store, keys and registry operations.
import type { Command } from 'commander';
import type { Registry } from '../registry/registry.ts';
import { openRegistryAt } from '../registry/open-registry.ts';

export interface GlobalOptions { data: string; instance: string }

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals() as GlobalOptions;
}

export async function withRegistry<T>(cmd: Command, fn: (r: Registry) => Promise<T>): Promise<T> {
  const g = globals(cmd);
  const opened = await openRegistryAt(g.data, { instance: g.instance, nodeId: process.env.TABADOL_NODE_ID ?? 'central' });
  try {
    return await fn(opened.registry);
  } finally {
    await opened.close();
  }
}

export function print(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
