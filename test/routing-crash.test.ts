// A provincial node killed with SIGKILL in the middle of a stream of routed inquiries: a centre and
// the province p23 as real processes (test/cluster-processes.ts), the person service homed on p23,
// every inquiry sent to the centre's plain-HTTP port and routed to the province's node port. After
// the kill: every inquiry the client saw answered 200 has a record on both sides with the same
// X-Road-Id, request id and request hash (the province's on its `p23/routed` chain); the centre
// answered every inquiry, those cut by the kill and those after it with an error rather than a 200;
// both stores' chains verify (`audit verify`); and once the province is back, routing resumes.
import path from 'node:path';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, SERVICE, startTestProvider, until } from './harness.ts';
import { killNode, seedCentreWithProvincialService, startCentreAndProvince, type CentreAndProvince } from './cluster-processes.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { routedChainId } from '../src/node/exchange-routes.ts';

interface Row { chain_id: string; xroad_id: string; request_id: string; request_hash: string; status: number; error_type: string | null }
interface Outcome { id: string; startedAt: number; endedAt: number; status?: number; error?: string; failed?: string }

let cluster: CentreAndProvince | undefined;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

function recordsOf(dataDir: string): Map<string, Row[]> {
  const db = new Database(recordsFile(dataDir), { readonly: true });
  try {
    const rows = db.prepare('select chain_id, xroad_id, request_id, request_hash, status, error_type from records').all() as Row[];
    const by = new Map<string, Row[]>();
    for (const r of rows) by.set(r.xroad_id, [...(by.get(r.xroad_id) ?? []), r]);
    return by;
  } finally {
    db.close();
  }
}

const inquiry = (agent: Agent | undefined, id: string) => request(`http://127.0.0.1:${cluster!.centre.ports.http}/r1/${SERVICE}/persons/0012345679`, {
  headers: { 'x-road-client': JUDICIARY, 'x-road-id': id }, dispatcher: agent,
}).then(async (res) => ({ status: res.statusCode, error: res.headers['x-road-error'] as string | undefined, text: await res.body.text() }));

beforeAll(async () => {
  provider = await startTestProvider();
  cluster = await startCentreAndProvince((centreDir, p23) => seedCentreWithProvincialService(centreDir, provider.baseUrl, 5000, p23));
  // Routing starts once both nodes run on the snapshot that lists p23's node port.
  const first = await until(() => inquiry(undefined, 'IR-routing-ready'), (r) => r.status === 200, 20_000);
  expect(first.status, first.text).toBe(200);
}, 45_000);

afterAll(async () => {
  await cluster?.close();
  await provider?.close();
});

describe('a provincial node killed with SIGKILL under routed load', () => {
  it('loses no record on either side, answers no inquiry it did not serve with 200, and serves again after a restart', async () => {
    const c = cluster!;
    const agent = new Agent({ connections: 16 });
    const outcomes: Outcome[] = [];
    let answered = 0;
    let killedAt = Infinity;
    let afterKill = 0;
    let n = 0;
    let stop = false;
    // Bounded by count as well as by the conditions below.
    const MAX = 4000;
    const worker = async (w: number) => {
      while (!stop && n < MAX) {
        const o: Outcome = { id: `IR-crash-${w}-${n++}`, startedAt: performance.now(), endedAt: 0 };
        try {
          const res = await inquiry(agent, o.id);
          o.status = res.status;
          o.error = res.error;
          if (res.status === 200) answered++;
        } catch (e) {
          o.failed = (e as Error).message;
        }
        o.endedAt = performance.now();
        if (o.startedAt > killedAt) afterKill++;
        outcomes.push(o);
      }
    };
    const load = Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
    // Kill once enough answers came (with inquiries in flight), or after at most 8 s.
    const deadline = Date.now() + 8000;
    while (answered < 200 && Date.now() < deadline && n < MAX) await new Promise((r) => setTimeout(r, 20));
    killedAt = performance.now();
    await killNode(c.province);
    // Keep sending for a while: inquiries to a province that is gone.
    const after = Date.now() + 5000;
    while (afterKill < 50 && Date.now() < after && n < MAX) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await load;
    await agent.close();

    expect(answered).toBeGreaterThan(20);
    // The centre stayed up: it answered every inquiry, none was left without an answer.
    expect(outcomes.filter((o) => o.failed !== undefined).map((o) => o.failed)).toEqual([]);
    // In flight at the kill, or sent after it: a 200 only where the province had served it (checked
    // below against its records); sent after the kill: never a 200, always a coded error.
    const inFlight = outcomes.filter((o) => o.startedAt < killedAt && o.endedAt > killedAt);
    const late = outcomes.filter((o) => o.startedAt > killedAt);
    expect(inFlight.length).toBeGreaterThan(0);
    expect(late.length).toBeGreaterThan(0);
    for (const o of late) {
      expect(o.status, o.id).not.toBe(200);
      expect(o.error, o.id).toBe('Server.ClientProxy.NetworkError');
    }
    for (const o of inFlight.filter((x) => x.status !== 200)) expect(o.error, o.id).toMatch(/^Server\./);

    // The province again, on the same data directory and node port: routing resumes.
    c.province = await c.restartProvince();
    const resumed = await until(() => inquiry(undefined, `IR-after-restart-${Date.now()}`), (r) => r.status === 200, 20_000);
    expect(resumed.status, resumed.text).toBe(200);

    const centreRecords = recordsOf(c.centreDir);
    const provinceRecords = recordsOf(c.provinceDir);
    const missing: string[] = [];
    for (const o of outcomes) {
      // The consumer's node keeps a record of every answer it gave, with the status it gave.
      const mine = centreRecords.get(o.id);
      if (mine?.length !== 1 || mine[0]!.status !== o.status) {
        missing.push(`${o.id}: centre ${JSON.stringify(mine)} for ${o.status}`);
        continue;
      }
      if (o.status !== 200) continue;
      // Answered: the provider's node kept its own record on its routed chain, joinable by id.
      const theirs = provinceRecords.get(o.id);
      const joined = theirs?.length === 1 && theirs[0]!.chain_id === routedChainId('p23') && theirs[0]!.status === 200
        && theirs[0]!.request_id === mine[0]!.request_id && theirs[0]!.request_hash === mine[0]!.request_hash;
      if (!joined) missing.push(`${o.id}: province ${JSON.stringify(theirs)}`);
    }
    expect(missing).toEqual([]);

    // No record on either side is lost or half-written: both chains verify, signatures included.
    for (const dir of [c.centreDir, c.provinceDir]) {
      const verified = await tabadolInProcess(['--data', dir, 'audit', 'verify']);
      expect(verified.code, `${path.basename(dir)}: ${verified.stdout}${verified.stderr}`).toBe(0);
    }
  }, 60_000);
});
