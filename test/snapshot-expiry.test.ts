// A node cut off from its registry keeps serving its snapshot until it expires, then refuses
// rather than act on stale access rights. The clock is injected.
import { describe, expect, it } from 'vitest';
import { SERVICE, JUDICIARY, useSeededNode } from './harness.ts';

let now = Date.parse('2026-11-28T08:00:00Z');
const ctx = useSeededNode({ node: { now: () => now, snapshotValidityMs: 3600_000 } });

describe('an expiring snapshot', () => {
  it('is served until it expires, then every exchange is refused as outdated', async () => {
    const person = `/r1/${SERVICE}/persons/0012345679`;
    now += 59 * 60_000;
    expect((await ctx.t.http(person, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);
    now += 2 * 60_000;
    const refused = await ctx.t.http(person, { headers: { 'x-road-client': JUDICIARY } });
    expect(refused.status).toBe(500);
    expect(refused.headers['x-road-error']).toBe('Server.ServerProxy.OutdatedGlobalConf');
    expect(refused.json().message).toMatch(/valid until 2026-11-28T09:00/);
  });
});
