// The registry's central node: the node that owns the registry and publishes its snapshots, and
// the home of every subsystem that names no other. It is recorded once, in the registry's
// settings, when the registry is first opened, and never renamed: a service's home node is
// registry data, so a node that could rename the central node by starting with another
// `--node-id` would silently move every service to a node that does not exist.
//
// Who opens the registry decides what the node id it brings means:
// - 'node': the node that owns the registry. Its id must be the recorded one; a node started
//   with another id is refused (Admin.NodeIdMismatch) rather than adopting or renaming anything.
// - 'tool': a command or tool working on the node's data directory (the CLI). Its node id only
//   names the central node of a registry it creates; otherwise the recorded one is used.
import type { RegistryDb } from '../store/database.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { isValidPart, partProblem } from '../identifiers/xroad-id.ts';

export const CENTRAL_NODE_SETTING = 'registry.central-node';

export type RegistryRole = 'node' | 'tool';

/** A node id is a code: it names record chains (`<node>/<worker>`) and will name peers in URLs. */
export function checkNodeId(nodeId: string, name = 'node id'): string {
  const problem = partProblem(nodeId);
  if (problem !== undefined || !isValidPart(nodeId)) fail(Errors.InvalidInput, `${name} ${problem ?? 'is not a valid code'}: ${JSON.stringify(nodeId.slice(0, 80))}`);
  return nodeId;
}

/**
 * Records `nodeId` as the central node if none is recorded yet, and returns the recorded one.
 * The statement is an upsert that writes the row even when it exists: as the first statement of a
 * registry change it takes the write lock (SQLite) or the row lock (PostgreSQL) at once, so that
 * changes from several processes are serialised instead of failing when a read-then-write
 * transaction finds the database changed under it. Run it inside the change's transaction.
 */
export async function claimCentralNode(db: RegistryDb, nodeId: string, role: RegistryRole): Promise<string> {
  const row = await db.insertInto('settings').values({ key: CENTRAL_NODE_SETTING, value: JSON.stringify(checkNodeId(nodeId)) })
    .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('settings.value') })))
    .returning('value').executeTakeFirstOrThrow();
  const central = JSON.parse(row.value) as string;
  if (role === 'node' && central !== nodeId) {
    fail(Errors.NodeIdMismatch, `this node was started as ${nodeId}, but its registry's central node is ${central}: start it with --node-id ${central}`);
  }
  return central;
}

/** The recorded central node, without recording anything; undefined for a registry never opened by a node or tool. */
export async function readCentralNode(db: RegistryDb): Promise<string | undefined> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', CENTRAL_NODE_SETTING).executeTakeFirst();
  return row ? JSON.parse(row.value) as string : undefined;
}
