// Witnessed chain heads across two real nodes: a province sends its signed heads to its central node
// over the node port; the centre checks them against the record key its registry holds for the
// province and keeps them; `tabadol audit witnessed` gives them to `audit verify --head`, which then
// catches the province's newest records removed. Heads of another key, of another node's chain, or
// older than what was witnessed are refused; only a node certificate may post.
import path from 'node:path';
import { generateKeyPairSync, sign } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, SERVICE, seedRegistry, startTestProvider, type TestNode } from './harness.ts';
import { makeExchange, nodeUrl, registerProvinceKey, startCentre, startProvince, type Exchange } from './two-nodes.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { checkpointMessage } from '../src/records/record.ts';
import { HEADS_FORMAT, keyIdOf, type HeadsFile, type SignedHead } from '../src/records/heads.ts';
import { WitnessStore } from '../src/records/witness-store.ts';
import type { NodeClient } from '../src/node/node-client.ts';

let x: Exchange;
let centre: TestNode;
let province: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let asP23: NodeClient;
let provinceClosed = false;

const ask = (i: number) => province.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-id': `w-${i}` } });

const witnessed = (node = 'p23') => new WitnessStore(centre.node.registry.db).newest(node);

async function post(client: NodeClient, heads: SignedHead[]) {
  const res = await client.request('central', nodeUrl(centre), '/node/v1/heads', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ format: HEADS_FORMAT, heads }),
  });
  return { status: res.statusCode, type: res.headers['x-road-error'], body: await res.body.json() as { message?: string } };
}

/** A checkpoint of the province's chain as it stands in its store. */
function provinceCheckpoint(seq: number): SignedHead {
  const db = new Database(recordsFile(x.provinceDir), { readonly: true });
  try {
    const r = db.prepare("select chain_id, seq, head_hash, at, signature, public_key from checkpoints where chain_id = 'p23/0' and seq = ?").get(seq) as
      { chain_id: string; seq: number; head_hash: string; at: string; signature: string; public_key: string };
    return { chainId: r.chain_id, seq: r.seq, recordHash: r.head_hash, at: r.at, signature: r.signature, publicKey: r.public_key, keyId: keyIdOf(province.node.keys.verifyKey) };
  } finally {
    db.close();
  }
}

/** A head signed by whatever key is given, over whatever it says. */
function signedBy(key: ReturnType<typeof generateKeyPairSync>['privateKey'], h: Omit<SignedHead, 'signature'>): SignedHead {
  return { ...h, signature: sign(null, checkpointMessage(h.chainId, h.seq, h.recordHash, h.at), key).toString('base64') };
}

beforeAll(async () => {
  x = await makeExchange();
  provider = await startTestProvider();
  centre = await startCentre(x);
  // Heads go out when the test says (and at shutdown), not on a timer the test would race.
  province = await startProvince(x, { centralNode: { nodeId: 'central', url: nodeUrl(centre) }, witnessIntervalMs: 3600_000 });
  await registerProvinceKey(centre, province);
  await seedRegistry(province.node, provider.baseUrl);
  await province.sync();
  for (let i = 0; i < 4; i++) expect((await ask(i)).status).toBe(200);
  asP23 = await x.clientAs('p23');
});

afterAll(async () => {
  if (!provinceClosed) await province?.close();
  await centre?.close();
  await provider?.close();
  await x?.cleanup();
});

describe('witnessed heads', () => {
  let heads: HeadsFile;
  let headsFile: string;

  it('reach the centre, checked against the registry, and come out of `tabadol audit witnessed` and the admin API', async () => {
    expect(await province.node.exchanges!.witness!.send()).toBe(true);
    const kept = await witnessed();
    expect(kept.heads.map((h) => [h.chainId, h.seq])).toEqual([['p23/0', 4]]);

    const cli = await tabadolInProcess(['--data', x.centreDir, 'audit', 'witnessed', '--node', 'p23']);
    expect(cli.code, cli.stderr).toBe(0);
    heads = JSON.parse(cli.stdout) as HeadsFile;
    expect(heads).toEqual(kept);
    headsFile = path.join(x.centreDir, 'p23-heads.json');
    await writeFile(headsFile, cli.stdout);

    const res = await request(`http://127.0.0.1:${centre.node.ports.admin}/v1/witnessed/p23`, { headers: { authorization: `Bearer ${centre.node.keys.adminToken}` } });
    expect(res.statusCode).toBe(200);
    expect(await res.body.json()).toEqual(kept);
    const refused = await request(`http://127.0.0.1:${centre.node.ports.admin}/v1/witnessed/p%2F23`, { headers: { authorization: `Bearer ${centre.node.keys.adminToken}` } });
    expect([refused.statusCode, refused.headers['x-road-error']]).toEqual([400, 'Admin.InvalidInput']);
    await refused.body.dump();
    expect((await tabadolInProcess(['--data', x.centreDir, 'audit', 'witnessed', '--node', 'p/23'])).stderr).toContain('Admin.InvalidInput');
  });

  it('catch the province\'s newest records removed, which its own store cannot show', async () => {
    const copy = path.join(x.provinceDir, 'copy.db');
    const live = new Database(recordsFile(x.provinceDir), { readonly: true });
    live.exec(`vacuum into '${copy}'`);
    live.close();
    const pub = path.join(x.provinceDir, 'keys', 'node-signing.pub.pem');
    const verify = (extra: string[] = []) => tabadolInProcess(['audit', 'verify', '--records', copy, '--public-key', pub, ...extra]);
    expect((await verify(['--head', headsFile])).code).toBe(0);

    // Someone able to write the province's store removes its newest record and the checkpoint covering it.
    const db = new Database(copy);
    db.prepare("delete from records where chain_id = 'p23/0' and seq = 4").run();
    db.prepare("delete from checkpoints where chain_id = 'p23/0' and seq = 4").run();
    db.close();
    expect((await verify()).code).toBe(0);
    const caught = await verify(['--head', headsFile]);
    expect(caught.code).toBe(1);
    expect(caught.stderr).toContain('records 4 to 4 were removed');
  });

  it('move forward with new records, and a head sent again is taken as unchanged', async () => {
    expect((await ask(10)).status).toBe(200);
    expect(await province.node.exchanges!.witness!.send()).toBe(true);
    expect((await witnessed()).heads[0]!.seq).toBe(5);
    const again = await post(asP23, [provinceCheckpoint(5)]);
    expect(again).toMatchObject({ status: 200, body: { accepted: 0, unchanged: 1 } });
  });

  it('refuses a head signed with another key, whatever key it names', async () => {
    const other = generateKeyPairSync('ed25519');
    const real = provinceCheckpoint(5);
    const forged = { ...real, seq: 99, publicKey: other.publicKey.export({ type: 'spki', format: 'pem' }).toString() };
    for (const keyId of [keyIdOf(other.publicKey), real.keyId]) {
      const res = await post(asP23, [signedBy(other.privateKey, { ...forged, keyId })]);
      expect(res).toMatchObject({ status: 403, type: 'Node.HeadRefused' });
    }
    expect((await witnessed()).heads[0]!.seq).toBe(5);
  });

  it('refuses a head of another node\'s chain, even one signed with the sender\'s own registered key', async () => {
    const real = provinceCheckpoint(5);
    const res = await post(asP23, [signedBy(province.node.keys.signingKey, { ...real, chainId: 'p07/0' })]);
    expect(res).toMatchObject({ status: 403, type: 'Node.HeadRefused' });
    expect(res.body.message).toContain('p07/0');
    // The sender is the node its certificate names: a p07 certificate with p23's chain is refused too.
    const asP07 = await x.clientAs('p07');
    expect(await post(asP07, [real])).toMatchObject({ status: 403, type: 'Node.HeadRefused' });
    expect((await witnessed('p07')).heads).toEqual([]);
  });

  it('refuses to go back: an older head, or another head at the same record, is a sign of records removed or rewritten', async () => {
    const older = await post(asP23, [provinceCheckpoint(3)]);
    expect(older).toMatchObject({ status: 409, type: 'Node.HeadBehind' });
    const real = provinceCheckpoint(5);
    const rewritten = await post(asP23, [signedBy(province.node.keys.signingKey, { ...real, recordHash: Buffer.alloc(32, 7).toString('base64') })]);
    expect(rewritten).toMatchObject({ status: 409, type: 'Node.HeadBehind' });
    expect((await witnessed()).heads).toEqual([expect.objectContaining({ seq: 5, recordHash: real.recordHash })]);
  });

  it('refuses a caller without a node certificate: a subsystem\'s certificate gets a coded refusal, none gets no handshake', async () => {
    const sub = await issueSubsystemCertificate(x.ca, JUDICIARY);
    const body = JSON.stringify({ format: HEADS_FORMAT, heads: [provinceCheckpoint(5)] });
    const postWith = async (cert?: { certPem: string; keyPem: string }) => {
      const agent = new Agent({ connect: { ca: x.ca.certPem, cert: cert?.certPem, key: cert?.keyPem, checkServerIdentity: () => undefined } });
      try {
        const res = await request(`${nodeUrl(centre)}/node/v1/heads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, dispatcher: agent });
        await res.body.dump();
        return { status: res.statusCode, type: res.headers['x-road-error'] };
      } catch {
        return { refused: 'handshake' };
      } finally {
        await agent.close();
      }
    };
    expect(await postWith(sub)).toEqual({ status: 403, type: 'Node.PeerRefused' });
    expect(await postWith()).toEqual({ refused: 'handshake' });
  });

  it('refuses a body that is not a heads file, and an oversized one, changing nothing', async () => {
    const res = await asP23.request('central', nodeUrl(centre), '/node/v1/heads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"format":"x"}' });
    expect([res.statusCode, res.headers['x-road-error']]).toEqual([400, 'Admin.InvalidInput']);
    await res.body.dump();
    const big = await asP23.request('central', nodeUrl(centre), '/node/v1/heads', { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"format":"${'x'.repeat(300 * 1024)}"}` });
    expect(big.statusCode).toBe(413);
    await big.body.dump();
    expect((await witnessed()).heads[0]!.seq).toBe(5);
  });

  it('sends the last heads at shutdown, after the final checkpoint', async () => {
    expect((await ask(20)).status).toBe(200);
    provinceClosed = true;
    await province.close();
    expect((await witnessed()).heads[0]!.seq).toBe(6);
  });
});
