// The node client parses its certificate, key and trust anchor once and shares that TLS context
// among all its connections (node-client.ts). Sharing it must not let a connection resume an earlier
// TLS session: Node skips checkServerIdentity on a resumed session, so a peer's certificate
// revoked since the last connection would go unnoticed. Real TLS on 127.0.0.1, against a plain
// HTTPS server holding a node certificate of the same CA.
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueNodeCertificate } from '../src/identity/node-certificates.ts';
import { NodeClient } from '../src/node/node-client.ts';
import { isTabadolError } from '../src/errors/catalogue.ts';

const ctx = {} as { server: https.Server; url: string; caPem: string; client: { certPem: string; keyPem: string }; serverSerial: string; handshakes: boolean[] };

beforeAll(async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-handshakes-'));
  await initCa(dir, { instance: 'IR' });
  const ca = await loadCa(dir);
  const server = await issueNodeCertificate(ca, 'p23');
  ctx.client = await issueNodeCertificate(ca, 'central');
  ctx.caPem = ca.certPem;
  ctx.serverSerial = server.serial.replace(/^0+(?=.)/, '');
  ctx.handshakes = [];
  ctx.server = https.createServer({ key: server.keyPem, cert: server.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ nodeId: 'p23', role: 'provincial', snapshot: null, uptimeSeconds: 0, peer: 'central' }));
  });
  // Whether each new connection resumed a session (it must never).
  ctx.server.on('secureConnection', (socket: TLSSocket) => { ctx.handshakes.push(socket.isSessionReused()); });
  await new Promise<void>((resolve) => ctx.server.listen(0, '127.0.0.1', resolve));
  ctx.url = `https://127.0.0.1:${(ctx.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  ctx.server.closeAllConnections();
  await new Promise((resolve) => ctx.server.close(resolve));
});

describe('the node client\'s shared TLS context', () => {
  it('does a full handshake on every new connection, so a revocation since the last one is seen', async () => {
    let revoked = new Set<string>();
    const client = new NodeClient({ identity: { ...ctx.client, caCertPem: ctx.caPem }, revokedSerials: () => revoked });
    try {
      expect((await client.health('p23', ctx.url)).nodeId).toBe('p23');
      // The kept-alive connection is dropped by the server; the next call must connect again.
      ctx.server.closeAllConnections();
      expect((await client.health('p23', ctx.url)).nodeId).toBe('p23');
      expect(ctx.handshakes).toEqual([false, false]);

      revoked = new Set([ctx.serverSerial]);
      ctx.server.closeAllConnections();
      const e = await client.health('p23', ctx.url).then(() => undefined, (err: unknown) => err);
      expect(isTabadolError(e) && e.type).toBe('Node.PeerMismatch');
      expect((e as Error).message).toContain('revoked');
    } finally {
      await client.close();
    }
  });

  it('with a key that does not match its certificate, fails each call with a coded network error as before', async () => {
    const other = await issueNodeCertificate(await loadCa(await caDirWithNewCa()), 'central');
    const client = new NodeClient({ identity: { certPem: ctx.client.certPem, keyPem: other.keyPem, caCertPem: ctx.caPem } });
    try {
      const e = await client.health('p23', ctx.url).then(() => undefined, (err: unknown) => err);
      expect(isTabadolError(e) && e.type).toBe('Server.ClientProxy.NetworkError');
    } finally {
      await client.close();
    }
  });
});

async function caDirWithNewCa(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-other-ca-'));
  await initCa(dir, { instance: 'IR' });
  return dir;
}
