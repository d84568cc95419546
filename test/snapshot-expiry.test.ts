// A node cut off from its registry keeps serving its snapshot until it expires, then refuses
// rather than act on stale access rights. The clock is injected.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, JUDICIARY, type TestNode } from './harness.ts';

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let now = Date.parse('2026-11-28T08:00:00Z');

beforeAll(async () => {
  provider = await startTestProvider();
  t = await startTestNode({ now: () => now, snapshotValidityMs: 3600_000 });
  await seedRegistry(t.node, provider.baseUrl);
  await t.sync();
});
afterAll(async () => {
  await t.close();
  await provider.close();
});

describe('an expiring snapshot', () => {
  it('is served until it expires, then every exchange is refused as outdated', async () => {
    const person = `/r1/${SERVICE}/persons/0012345679`;
    now += 59 * 60_000;
    expect((await t.http(person, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);
    now += 2 * 60_000;
    const refused = await t.http(person, { headers: { 'x-road-client': JUDICIARY } });
    expect(refused.status).toBe(500);
    expect(refused.headers['x-road-error']).toBe('Server.ServerProxy.OutdatedGlobalConf');
    expect(refused.json().message).toMatch(/valid until 2026-11-28T09:00/);
  });
});
