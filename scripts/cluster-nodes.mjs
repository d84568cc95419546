// How a province joins an exchange, as commands: the node certificate from the centre's CA, the
// `tabadol start --role provincial` flags, and the node entry registered at the centre. One source
// for `npm run cluster`, the benchmark's routed row and the tests that run nodes as real processes.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

/** Where a node keeps the three files `node-cert issue --out` writes. */
export const nodeCertDir = (dataDir) => path.join(dataDir, 'tls', 'node');
/** A node's record key, made on its first start: the centre checks its witnessed heads with it. */
export const recordKeyFile = (dataDir) => path.join(dataDir, 'keys', 'node-signing.pub.pem');
/** The centre's snapshot public key, which a province is given as a file and pins on first start. */
export const snapshotKeyFile = (centralDir) => path.join(centralDir, 'keys', 'snapshot-signing.pub.pem');

/** `tabadol` arguments that issue node `id` a certificate from the centre's CA, into its data directory. */
export const nodeCertIssueArgs = (centralDir, id, dataDir) => ['--data', centralDir, 'node-cert', 'issue', id, '--out', nodeCertDir(dataDir)];

/** `tabadol` arguments that start a provincial node on loopback, on the centre's snapshot; with
 * `ports.tls`, a TLS data port there too (served on the node certificate, clients checked against
 * the centre's CA), else none; `extra` are further `start` flags. */
export function provinceStartArgs({ dataDir, id, code, centralDir, centralNodeUrl, ports, extra = [] }) {
  const tls = ports.tls === undefined ? ['--no-tls'] : ['--tls-port', String(ports.tls), '--tls-host', '127.0.0.1'];
  return ['--data', dataDir, 'start', '--role', 'provincial', '--province', code, '--node-id', id,
    '--central-node-id', 'central', '--central-node-url', centralNodeUrl, '--snapshot-key', snapshotKeyFile(centralDir),
    '--admin-port', String(ports.admin), '--http-port', String(ports.http), ...tls, '--no-portal', '--node-port', String(ports.node), '--node-host', '127.0.0.1',
    ...extra];
}

/** The body of the centre's `POST /v1/nodes` (`tabadol node add`) for a province whose record key exists. */
export async function provinceNodeEntry({ dataDir, id, code, nodePort }) {
  return { id, role: 'provincial', province: code, url: `https://127.0.0.1:${nodePort}`, recordKey: await readFile(recordKeyFile(dataDir), 'utf8') };
}
