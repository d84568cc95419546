// The exchange's nodes as registry data (src/registry/nodes.ts), on the central node's registry:
// `tabadol node add p23 --role provincial --province 23 --url https://10.23.0.5:5500 --record-key FILE`,
// `node list`, `node remove p23`. Every change publishes the snapshot that carries the list.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { Errors, fail } from '../errors/catalogue.ts';
import type { RegistryNodes } from '../registry/nodes.ts';
import { openRegistryAt } from '../registry/open-registry.ts';
import { globals, print, runOf } from './context.ts';

/** The registry's nodes of the data directory, opened as a tool, publishing with the snapshot key. */
async function withNodes<T>(cmd: Command, fn: (n: RegistryNodes) => Promise<T>): Promise<T> {
  const opened = await openRegistryAt(globals(cmd).data, { instance: globals(cmd).instance, nodeId: runOf(cmd).env.TABADOL_NODE_ID ?? 'central' });
  try {
    return await fn(opened.nodes);
  } finally {
    await opened.close();
  }
}

export function registerNodesCommands(program: Command): void {
  const node = program.command('node').description('the exchange\'s nodes: the centre and one node per province, with their node-port addresses');

  node.command('add <nodeId>').description('register a node (the snapshot then tells every node where it listens)')
    .requiredOption('--role <role>', 'central or provincial')
    .option('--province <code>', 'two-digit province code, 00–30 (provincial nodes; one node per province)')
    .requiredOption('--url <url>', 'its node-to-node port, https://host:port')
    .option('--record-key <file>', 'its record key\'s public half (its keys/node-signing.pub.pem): the centre checks its witnessed heads with it')
    .action(async (nodeId: string, o: { role: string; province?: string; url: string; recordKey?: string }, cmd: Command) => {
      const recordKey = o.recordKey === undefined ? undefined : await readFile(o.recordKey, 'utf8')
        .catch((e: Error) => fail(Errors.InvalidInput, `cannot read ${o.recordKey}: ${e.message}`));
      print(cmd, await withNodes(cmd, (n) => n.add({ id: nodeId, role: o.role, province: o.province, url: o.url, recordKey }, 'cli')));
    });

  node.command('list').description('the registered nodes')
    .action(async (_o: unknown, cmd: Command) => print(cmd, await withNodes(cmd, (n) => n.list())));

  node.command('remove <nodeId>').description('remove a node (refused while subsystems are served by it)')
    .action(async (nodeId: string, _o: unknown, cmd: Command) => print(cmd, await withNodes(cmd, (n) => n.remove(nodeId, 'cli'))));
}
