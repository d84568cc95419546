// Statistics of a running node: inquiries made through the exchange are counted by the record writer
// as they are recorded, and read back through `GET /v1/stats` and `tabadol stats` with the same
// figures; bad questions get coded refusals.
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { formatJalali, instantToJalali } from '../src/dates/jalali.ts';
import { JUDICIARY, POLICE, SERVICE, useSeededNode } from './harness.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';

const ctx = useSeededNode();
const today = formatJalali(instantToJalali(new Date()));

async function stats(query: string) {
  const res = await request(`http://127.0.0.1:${ctx.t.node.ports.admin}/v1/stats?${query}`, {
    headers: { authorization: `Bearer ${ctx.t.node.keys.adminToken}` },
  });
  return { status: res.statusCode, json: await res.body.json() as any };
}

describe('statistics of a running node', () => {
  it('counts answered and refused inquiries by consumer and provider, the same on the API and the CLI', async () => {
    const before = (await stats(`from=${today}&to=${today}&by=consumer`)).json.total.count as number;
    for (let i = 0; i < 3; i++) {
      const r = await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY } });
      expect(r.status).toBe(200);
    }
    // The police may only POST /verify: a GET is refused, and counted as refused.
    const refused = await ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { "x-road-client": POLICE } });
    expect(refused.status, refused.text).toBe(500); // X-Road answers Server.ServerProxy.AccessDenied with 500

    const byConsumer = await stats(`from=${today}&to=${today}&by=consumer`);
    expect(byConsumer.status).toBe(200);
    expect(byConsumer.json.total.count).toBe(before + 4);
    const judiciary = byConsumer.json.lines.find((l: { key: string }) => l.key === JUDICIARY);
    expect(judiciary).toMatchObject({ answered: expect.any(Number) });
    expect(judiciary.answered).toBeGreaterThanOrEqual(3);
    const police = byConsumer.json.lines.find((l: { key: string }) => l.key === POLICE);
    expect(police.refused).toBeGreaterThanOrEqual(1);
    expect(judiciary.p95Ms).toBeGreaterThan(0);

    const byProvider = await stats(`from=${today}&to=${today}&by=provider`);
    expect(byProvider.json.lines[0]).toMatchObject({ key: 'IR/GOV/NOCR/identity', name: expect.any(String) });

    // A subsystem serving from a province is counted under it; the seeded ones are national.
    await ctx.t.node.registry.addMember({ memberClass: 'GOV', memberCode: 'KHUZESTAN-JUDICIARY', name: 'Judiciary of Khuzestan' });
    await ctx.t.node.registry.addSubsystem({ subsystemId: 'IR/GOV/KHUZESTAN-JUDICIARY/cases', province: '۰۶' });
    const byProvince = await stats(`from=${today}&to=${today}&by=province`);
    expect(byProvince.json.lines.map((l: { key: string }) => l.key)).toContain('national');
    expect((await ctx.t.node.registry.listSubsystems()).find((x) => x.id === 'IR/GOV/KHUZESTAN-JUDICIARY/cases')?.province).toBe('06');
    await expect(ctx.t.node.registry.addSubsystem({ subsystemId: 'IR/GOV/KHUZESTAN-JUDICIARY/other', province: '31' })).rejects.toThrow(/province/);

    const cli = await tabadolInProcess(['--data', ctx.t.dataDir, 'stats', '--from', today, '--to', today, '--by', 'consumer', '--json']);
    expect(cli.code).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(byConsumer.json);
    const table = await tabadolInProcess(['--data', ctx.t.dataDir, 'stats', '--from', today, '--to', today, '--by', 'consumer']);
    expect(table.stdout).toContain(JUDICIARY);
    expect(table.stdout).toContain('█');
  });

  it('refuses a date that is not Jalali YYYY/MM/DD, a period that ends before it starts, and an unknown grouping', async () => {
    for (const q of ['from=99/01/01', 'from=1399/13/01', 'from=1400/01/01&to=1399/01/01', 'by=city', 'from=' + 'x'.repeat(100)]) {
      const r = await stats(q);
      expect(r.status, q).toBe(400);
      expect(r.json.type, q).toBe('Admin.InvalidInput');
    }
    const cli = await tabadolInProcess(['--data', ctx.t.dataDir, 'stats', '--from', '1400/01/01', '--to', '1399/01/01']);
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('Admin.InvalidInput');
  });
});
