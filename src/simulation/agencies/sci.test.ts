import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sciAgency } from './sci.ts';
import { startAgencies, type RunningAgencies } from './agency-test-kit.ts';

let sample: RunningAgencies;
const base = '/SCI/divisions/provinces';

beforeAll(async () => { sample = await startAgencies([sciAgency()]); });
afterAll(() => sample.close());

describe('the statistical centre (simulated) serves the country divisions', () => {
  it('gives a county with the districts under it, from the imported file', async () => {
    const res = await sample.call('GET', `${base}/divisions/2304`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      level: 'county', code: '2304', parentCode: '23', nameFa: 'دماوند', nameEn: 'Damavand',
      children: [
        { level: 'district', code: '230401', parentCode: '2304', nameFa: 'مرکزی', nameEn: 'Central' },
        { level: 'district', code: '230402', parentCode: '2304', nameFa: 'رودهن', nameEn: 'Rudehen' },
      ],
    });
  });

  it('lists the counties of a province', async () => {
    const res = await sample.call('GET', `${base}/provinces/30/counties`);
    expect((res.body as { counties: { code: string }[] }).counties.map((c) => c.code)).toEqual(['3001', '3002', '3003']);
  });

  it('refuses a malformed code and says when a code is unknown', async () => {
    expect((await sample.call('GET', `${base}/divisions/23041`)).body).toMatchObject({ error: 'invalid_division_code' });
    const unknown = await sample.call('GET', `${base}/divisions/9999`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'unknown_division' });
  });

  it("serves an operator's own file instead of the sample", async () => {
    const own = await startAgencies([sciAgency('level,code,parent_code,name_fa,name_en\ncounty,0701,07,شیراز,Shiraz\n')]);
    const res = await own.call('GET', `${base}/provinces/07/counties`);
    expect(res.body).toEqual({ counties: [{ level: 'county', code: '0701', parentCode: '07', nameFa: 'شیراز', nameEn: 'Shiraz' }] });
    expect((await own.call('GET', `${base}/divisions/2304`)).status).toBe(404);
    await own.close();
  });

  it('refuses a bad file when the agency is built, naming the line', () => {
    expect(() => sciAgency('level,code,parent_code,name_fa,name_en\ncounty,2301,23,تهران,Tehran\ncounty,2301,23,تهران,Tehran\n')).toThrow(/line 3/);
  });
});
