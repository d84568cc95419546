// Two real nodes of one exchange in one test process: a central node and a province, each with its
// own data directory, one CA (the centre's) behind both node certificates, node ports on
// 127.0.0.1:0. The CA is made before either node starts, so each can be told where the other is.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { initCa, loadCa, type Ca } from '../src/identity/ca.ts';
import { issueNodeCertificate, writeNodeCertificate } from '../src/identity/node-certificates.ts';
import type { IssuedCertificate } from '../src/identity/certificates.ts';
import { caDirOf, nodeCertDirOf } from '../src/node/node-tls.ts';
import { NodeClient } from '../src/node/node-client.ts';
import { registerRecordKey } from '../src/registry/node-record-keys.ts';
import { keyIdOf } from '../src/records/heads.ts';
import type { NodeConfig } from '../src/node/config.ts';
import { readRows, startTestNode, type TestNode } from './harness.ts';
import { expect } from 'vitest';
import { loadOrCreateSnapshotSigningKey } from '../src/keys/snapshot-signing-key.ts';
import { signSnapshot } from '../src/snapshot/signature.ts';
import type { SnapshotDocument } from '../src/snapshot/document.ts';
import { recordsFile } from '../src/records/record-store.ts';

export interface Exchange {
  ca: Ca;
  centreDir: string;
  provinceDir: string;
  /** A client of the node port with a fresh certificate of `nodeId` from the exchange CA. */
  clientAs(nodeId: string): Promise<NodeClient>;
  issue(nodeId: string): Promise<IssuedCertificate>;
  cleanup(): Promise<void>;
}

export async function makeExchange(): Promise<Exchange> {
  const centreDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-centre-'));
  const provinceDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-p23-'));
  await initCa(caDirOf(centreDir), { instance: 'IR' });
  const ca = await loadCa(caDirOf(centreDir));
  // The province runs on a certificate the centre issued, as `tabadol node-cert issue p23 --out DIR` makes it.
  await writeNodeCertificate(nodeCertDirOf(provinceDir), await issueNodeCertificate(ca, 'p23'), ca.certPem);
  const clients: NodeClient[] = [];
  const issue = (nodeId: string) => issueNodeCertificate(ca, nodeId);
  return {
    ca, centreDir, provinceDir, issue,
    async clientAs(nodeId) {
      const cert = await issue(nodeId);
      const c = new NodeClient({ identity: { certPem: cert.certPem, keyPem: cert.keyPem, caCertPem: ca.certPem } });
      clients.push(c);
      return c;
    },
    async cleanup() {
      for (const c of clients) await c.close();
      await Promise.all([centreDir, provinceDir].map((d) => rm(d, { recursive: true, force: true })));
    },
  };
}

/** The province p23: no TLS data port (its CA would be its own), the plain-HTTP port for traffic. */
export function startProvince(x: Exchange, overrides: Partial<NodeConfig>): Promise<TestNode> {
  return startTestNode({ dataDir: x.provinceDir, nodeId: 'p23', tlsPort: null, nodePort: 0, nodeHost: '127.0.0.1', ...overrides });
}

export function startCentre(x: Exchange, overrides: Partial<NodeConfig> = {}): Promise<TestNode> {
  return startTestNode({ dataDir: x.centreDir, nodeId: 'central', nodePort: 0, nodeHost: '127.0.0.1', ...overrides });
}

export const nodeUrl = (t: TestNode) => `https://127.0.0.1:${t.node.ports.node}`;

/** The centre's registry learns the province's record key, as registering a province does. */
export async function registerProvinceKey(centre: TestNode, province: TestNode): Promise<void> {
  const k = province.node.keys;
  await registerRecordKey(centre.node.registry.db, province.node.config.nodeId, k.verifyKeyPem, keyIdOf(k.verifyKey), new Date());
}

/** A further node's certificate from the exchange CA, in `dataDir`, as `node-cert issue --out` writes it. */
export async function writeNodeCertificateFor(x: Exchange, nodeId: string, dataDir: string): Promise<void> {
  await writeNodeCertificate(nodeCertDirOf(dataDir), await x.issue(nodeId), x.ca.certPem);
}

/**
 * Each node runs on its document, signed with that node's own snapshot key (a stand-in for
 * provinces running on the centre's snapshot, which test/cluster-processes.ts does for real).
 */
export async function loadSigned(pairs: readonly (readonly [TestNode, SnapshotDocument])[]): Promise<void> {
  for (const [t, doc] of pairs) {
    const { signingKey } = await loadOrCreateSnapshotSigningKey(t.dataDir);
    expect(t.node.snapshots.load(signSnapshot(doc, signingKey))).toBe(true);
  }
}

export interface RecordRow { chain_id: string; xroad_id: string; request_id: string; request_hash: string; client: string; status: number; error_type: string | null; peer_node: string | null }

/** A node's records of one exchange, read from its records.db. */
export function recordsOf(t: TestNode, xroadId: string): RecordRow[] {
  return readRows<RecordRow>(recordsFile(t.dataDir), 'select chain_id, xroad_id, request_id, request_hash, client, status, error_type, peer_node from records where xroad_id = ?', xroadId);
}
