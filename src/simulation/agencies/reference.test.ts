// The reference agencies together: every sample inquiry is answered within its contract, bad input
// is a 400 with a code, and one citizen is the same person in every agency.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankOfSheba, isPlate } from '../../identifiers/iran.ts';
import { Errors } from '../../errors/catalogue.ts';
import { nationalCodes, startAgencies, type RunningAgencies } from './agency-test-kit.ts';
import type { Agency } from './agency.ts';
import { behaviourOptions, parseBehaviourTable, sampleLatency } from './behaviour.ts';
import { demoAgencies } from './demo.ts';
import { graduate } from './msrt.ts';
import { deceasedCitizen } from './judiciary.ts';
import { rngFor } from './random.ts';
import { serviceBasePath } from './server.ts';
import { accountsOf } from './synthetic-accounts.ts';
import { legalHeirsOf, maritalRecordOf } from './synthetic-family.ts';
import { randomLegalId } from './synthetic-legal-entities.ts';
import { DEMO_PLATE, randomPlate } from './synthetic-vehicles.ts';
import { DEMO_CITIZEN, citizenByNationalCode, citizenByPostalCode } from './synthetic.ts';

const DEMO_AGENCIES = demoAgencies();

let agencies: RunningAgencies;
beforeAll(async () => {
  agencies = await startAgencies(DEMO_AGENCIES);
});
afterAll(async () => {
  await agencies.close();
});

const base = (member: string, subsystem: string, service: string): string => `/${member}/${subsystem}/${service}`;
const get = async (path: string): Promise<any> => {
  const res = await agencies.call('GET', path);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};
const post = async (path: string, body: unknown): Promise<any> => {
  const res = await agencies.call('POST', path, JSON.stringify(body));
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
};

/** What NOCR's person inquiry says of a code (with the right birth date). */
async function nocr(code: string): Promise<{ firstName: string; lastName: string; alive: boolean }> {
  const c = citizenByNationalCode(code);
  return get(`${base('NOCR', 'identity', 'person')}/persons/${code}?birthDate=${c.birthDate}`);
}

describe('every reference service', () => {
  const services = DEMO_AGENCIES.flatMap((a: Agency) => a.services.map((s) => ({ agency: a, service: s })));

  it('has a sample inquiry, answered 200 within its contract', async () => {
    const rng = rngFor('reference-test', 'samples', '1');
    for (const { agency, service } of services) {
      expect(service.sample, `${agency.memberCode}/${service.serviceCode} has a sample`).toBeDefined();
      for (let i = 0; i < 15; i++) {
        const s = service.sample!(rng);
        const path = serviceBasePath(agency, service) + s.path;
        const res = await agencies.call(s.method, path, s.body === undefined ? undefined : JSON.stringify(s.body));
        expect(res.status, `${s.method} ${path} ${JSON.stringify(s.body)} → ${JSON.stringify(res.body)}`).toBe(200);
      }
    }
  });

  it('answers bad input with 400 and a code the contract lists', async () => {
    const cases: Array<[string, string, unknown, string]> = [
      ['GET', `${base('NOCR', 'identity', 'marital')}/persons/0012345678/marital-status`, undefined, 'invalid_national_code'],
      ['GET', `${base('POST', 'address', 'legal-address')}/legal-entities/10101010101/address`, undefined, 'invalid_legal_id'],
      ['POST', `${base('MSRT', 'degrees', 'degree')}/degrees/verify`, { nationalCode: '0012345679', degreeNumber: '12-34' }, 'invalid_degree_number'],
      ['POST', `${base('MSRT', 'degrees', 'degree')}/degrees/verify`, { nationalCode: '0012345678', degreeNumber: '123456789012' }, 'invalid_national_code'],
      ['GET', `${base('MOE', 'diplomas', 'diploma')}/persons/1111111111/diploma`, undefined, 'invalid_national_code'],
      ['POST', `${base('CBI', 'sheba', 'sheba-owner')}/sheba/verify`, { nationalCode: '0012345679', sheba: 'IR000000000000000000000000' }, 'invalid_sheba'],
      ['POST', `${base('CBI', 'sheba', 'sheba-owner')}/sheba/verify`, { nationalCode: '0012345679' }, 'invalid_sheba'],
      ['POST', `${base('CBI', 'sheba', 'sheba-owner')}/sheba/verify`, { nationalCode: '0012345679', sheba: 'x', bank: 'y' }, 'invalid_body'],
      ['GET', `${base('INTA', 'taxpayer', 'accounts')}/taxpayers/natural/123/accounts`, undefined, 'invalid_national_code'],
      ['GET', `${base('INTA', 'taxpayer', 'accounts')}/taxpayers/legal/10327942864/accounts`, undefined, 'invalid_legal_id'],
      ['POST', `${base('POLICE', 'traffic', 'vehicle')}/vehicles/inquiry`, { plate: '12X34577' }, 'invalid_plate'],
      ['POST', `${base('POLICE', 'traffic', 'vehicle')}/vehicles/scrapping`, { plate: '02ب34577' }, 'invalid_plate'],
      ['POST', `${base('POLICE', 'traffic', 'vehicle')}/vehicles/inquiry`, [], 'invalid_body'],
      ['GET', `${base('POLICE', 'traffic', 'driving-licence')}/licences/00123456`, undefined, 'invalid_national_code'],
      ['GET', `${base('POLICE', 'amaken', 'premises')}/approvals/0012345679?trade=casino`, undefined, 'invalid_trade'],
      ['GET', `${base('POLICE', 'amaken', 'premises')}/approvals/0012345679`, undefined, 'invalid_trade'],
      ['GET', `${base('CONSCRIPTION', 'military-service', 'status')}/persons/abc/military-service`, undefined, 'invalid_national_code'],
      ['POST', `${base('JUDICIARY', 'inheritance', 'heirs')}/inheritance/verify`, { deceasedNationalCode: '0012345679', declaredHeirs: ['0012345678'] }, 'invalid_heir'],
      ['POST', `${base('JUDICIARY', 'inheritance', 'heirs')}/inheritance/verify`, { deceasedNationalCode: '0012345679', declaredHeirs: 'all' }, 'invalid_body'],
      ['POST', `${base('JUDICIARY', 'inheritance', 'heirs')}/inheritance/verify`, { deceasedNationalCode: '0012345678', declaredHeirs: [] }, 'invalid_national_code'],
      ['GET', `${base('MFA', 'consular', 'residence-abroad')}/persons/0012345670/residence-abroad`, undefined, 'invalid_national_code'],
      ['POST', `${base('CII', 'third-party', 'policy')}/third-party/inquiry`, { plate: '1234567' }, 'invalid_plate'],
      ['GET', `${base('SCI', 'divisions', 'provinces')}/provinces/2x`, undefined, 'invalid_province_code'],
    ];
    for (const [method, path, body, error] of cases) {
      const res = await agencies.call(method, path, body === undefined ? undefined : JSON.stringify(body));
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toMatchObject({ error });
    }
  });
});

describe('one citizen, the same everywhere', () => {
  const citizens = [DEMO_CITIZEN.nationalCode, ...nationalCodes(6, 4_242_424)];

  it('has the same name in NOCR, the police, conscription, education and tax', async () => {
    for (const code of citizens) {
      const c = citizenByNationalCode(code);
      const id = await nocr(code);
      expect(id).toMatchObject({ firstName: c.firstName, lastName: c.lastName, matches: true });
      const name = { firstName: c.firstName, lastName: c.lastName };
      expect(await get(`${base('POLICE', 'traffic', 'driving-licence')}/licences/${code}`)).toMatchObject(name);
      expect(await get(`${base('CONSCRIPTION', 'military-service', 'status')}/persons/${code}/military-service`)).toMatchObject(name);
      expect(await get(`${base('MOE', 'diplomas', 'diploma')}/persons/${code}/diploma`)).toMatchObject(name);
      const tax = await get(`${base('INTA', 'taxpayer', 'accounts')}/taxpayers/natural/${code}/accounts`);
      expect(tax).toMatchObject({ nameFa: `${c.firstName} ${c.lastName}`, postalCode: c.postalCode, kind: 'natural' });
      // …and the post's address at the postal code the tax office holds is the citizen's own.
      expect(await get(`${base('POST', 'address', 'address')}/addresses/${tax.postalCode}`)).toEqual(JSON.parse(JSON.stringify(c.address)));
      // Shahkar knows the citizen's one line.
      expect(await post(`${base('CRA', 'shahkar', 'shahkar')}/verify`, { nationalCode: code, mobile: c.mobile })).toEqual({ matches: true });
      const conscription = await get(`${base('CONSCRIPTION', 'military-service', 'status')}/persons/${code}/military-service`);
      if (c.gender === 'female') expect(conscription.status).toBe('not_liable');
    }
  });

  it('has a spouse NOCR answers for, whose own record names them back', async () => {
    let married = 0;
    for (const code of [DEMO_CITIZEN.nationalCode, ...nationalCodes(40, 777_777)]) {
      const record = await get(`${base('NOCR', 'identity', 'marital')}/persons/${code}/marital-status`);
      expect(record.status).toBe(maritalRecordOf(code).status);
      if (!record.spouse) continue;
      married++;
      const spouse = await nocr(record.spouse.nationalCode);
      expect(spouse).toMatchObject({ firstName: record.spouse.firstName, lastName: record.spouse.lastName, alive: record.spouse.alive });
      const back = await get(`${base('NOCR', 'identity', 'marital')}/persons/${record.spouse.nationalCode}/marital-status`);
      expect(back.spouse.nationalCode).toBe(code);
      expect(back.marriedOn).toBe(record.marriedOn);
      expect(citizenByNationalCode(code).gender).not.toBe(citizenByNationalCode(record.spouse.nationalCode).gender);
    }
    expect(married).toBeGreaterThan(5);
  });

  it('has as legal heirs the spouse NOCR names and living children bearing the father\'s names', async () => {
    const rng = rngFor('reference-test', 'heirs', '1');
    const path = `${base('JUDICIARY', 'inheritance', 'heirs')}/inheritance/verify`;
    let withChildren = 0;
    for (let i = 0; i < 25; i++) {
      const deceased = deceasedCitizen(rng, 'tabadol-demo');
      const heirs = legalHeirsOf(deceased) ?? [];
      const codes = heirs.map((h) => h.person.nationalCode);
      expect(await post(path, { deceasedNationalCode: deceased, declaredHeirs: codes })).toEqual({
        deceasedNationalCode: deceased, deathRecorded: true, matches: true, legalHeirCount: codes.length, undeclaredCount: 0, notHeirs: [],
      });
      const marital = await get(`${base('NOCR', 'identity', 'marital')}/persons/${deceased}/marital-status`);
      const spouseHeir = heirs.find((h) => h.relation === 'spouse');
      if (spouseHeir) expect(marital.spouse.nationalCode).toBe(spouseHeir.person.nationalCode);
      const husband = citizenByNationalCode(citizenByNationalCode(deceased).gender === 'male' ? deceased : marital.spouse?.nationalCode ?? deceased);
      for (const child of heirs.filter((h) => h.relation === 'child')) {
        withChildren++;
        expect(await nocr(child.person.nationalCode)).toMatchObject({ lastName: husband.lastName, fatherName: husband.firstName, alive: true });
      }
      if (codes.length > 0) {
        const stranger = nationalCodes(1, 31_337 + i)[0] as string;
        const partial = await post(path, { deceasedNationalCode: deceased, declaredHeirs: [...codes.slice(1), stranger] });
        expect(partial).toMatchObject({ matches: false, undeclaredCount: 1, notHeirs: [stranger] });
      }
    }
    expect(withChildren).toBeGreaterThan(0);
    expect(await post(path, { deceasedNationalCode: DEMO_CITIZEN.nationalCode, declaredHeirs: [] })).toEqual({ deceasedNationalCode: DEMO_CITIZEN.nationalCode, deathRecorded: false });
  });

  it('owns the vehicles the police and the insurer agree on', async () => {
    for (const plate of [DEMO_PLATE, '۱۲ ب ۳۴۵ ایران ۷۷', ...Array.from({ length: 8 }, (_, i) => randomPlate(rngFor('t', 'plate', String(i))))]) {
      const vehicle = await post(`${base('POLICE', 'traffic', 'vehicle')}/vehicles/inquiry`, { plate });
      const owner = await nocr(vehicle.owner.nationalCode);
      expect(owner).toMatchObject({ firstName: vehicle.owner.firstName, lastName: vehicle.owner.lastName });
      const policy = await post(`${base('CII', 'third-party', 'policy')}/third-party/inquiry`, { plate });
      expect(policy).toMatchObject({ plate: vehicle.plate, ownerNationalCode: vehicle.owner.nationalCode });
      const scrapping = await post(`${base('POLICE', 'traffic', 'vehicle')}/vehicles/scrapping`, { plate });
      expect(scrapping.scrapped).toBe(vehicle.scrapped);
      if (vehicle.scrapped) expect(policy.insured).toBe(false);
    }
    const demo = await post(`${base('POLICE', 'traffic', 'vehicle')}/vehicles/inquiry`, { plate: DEMO_PLATE });
    expect(demo.owner).toEqual({ nationalCode: DEMO_CITIZEN.nationalCode, firstName: DEMO_CITIZEN.firstName, lastName: DEMO_CITIZEN.lastName });
  });

  it('has accounts the central bank confirms and the tax office lists, at the bank the SHEBA names', async () => {
    for (const code of citizens) {
      const tax = await get(`${base('INTA', 'taxpayer', 'accounts')}/taxpayers/natural/${code}/accounts`);
      expect(tax.accounts.length).toBeGreaterThan(0);
      for (const a of tax.accounts) {
        const check = await post(`${base('CBI', 'sheba', 'sheba-owner')}/sheba/verify`, { nationalCode: code, sheba: a.sheba });
        expect(check).toEqual({ sheba: a.sheba, matches: true, bank: bankOfSheba(a.sheba) });
        expect(a.bank).toEqual(bankOfSheba(a.sheba));
      }
      const other = accountsOf(nationalCodes(1, 99_999)[0] as string)[0]!.sheba;
      expect((await post(`${base('CBI', 'sheba', 'sheba-owner')}/sheba/verify`, { nationalCode: code, sheba: other })).matches).toBe(false);
    }
  });

  it('holds degrees the ministry confirms to their holder only', async () => {
    const rng = rngFor('reference-test', 'degrees', '1');
    const path = `${base('MSRT', 'degrees', 'degree')}/degrees/verify`;
    for (let i = 0; i < 5; i++) {
      const { nationalCode, degrees } = graduate(rng, 'tabadol-demo');
      const c = citizenByNationalCode(nationalCode);
      for (const d of degrees) {
        const mine = await post(path, { nationalCode, degreeNumber: d.degreeNumber });
        expect(mine).toMatchObject({ exists: true, belongs: true, holder: { firstName: c.firstName, lastName: c.lastName }, degree: { level: d.level, graduatedOn: d.graduatedOn } });
        expect(await post(path, { nationalCode: DEMO_CITIZEN.nationalCode, degreeNumber: d.degreeNumber })).toEqual({ degreeNumber: d.degreeNumber, exists: true, belongs: false });
      }
    }
    expect(await post(path, { nationalCode: DEMO_CITIZEN.nationalCode, degreeNumber: '000000000000' })).toMatchObject({ exists: false, belongs: false });
  });

  it('gives legal persons and premises addresses the post answers for, where no citizen lives', async () => {
    const rng = rngFor('reference-test', 'legal', '1');
    for (let i = 0; i < 5; i++) {
      const legalId = randomLegalId(rng);
      const seat = await get(`${base('POST', 'address', 'legal-address')}/legal-entities/${legalId}/address`);
      const tax = await get(`${base('INTA', 'taxpayer', 'accounts')}/taxpayers/legal/${legalId}/accounts`);
      expect(tax).toMatchObject({ kind: 'legal', nameFa: seat.nameFa, postalCode: seat.address.postalCode });
      expect(await get(`${base('POST', 'address', 'address')}/addresses/${seat.address.postalCode}`)).toEqual(seat.address);
      expect(citizenByPostalCode(seat.address.postalCode)).toBeUndefined();
    }
    for (const code of citizens) {
      const approval = await get(`${base('POLICE', 'amaken', 'premises')}/approvals/${code}?trade=restaurant`);
      if (approval.status === 'none') continue;
      expect(citizenByPostalCode(approval.premisesPostalCode)).toBeUndefined();
      await get(`${base('POST', 'address', 'address')}/addresses/${approval.premisesPostalCode}`);
    }
  });
});

describe('the statistical centre', () => {
  const path = base('SCI', 'divisions', 'provinces');
  it('serves the 31 provinces with codes 00–30 and their ISO codes', async () => {
    const { provinces } = await get(`${path}/provinces`);
    expect(provinces).toHaveLength(31);
    expect(provinces.map((p: { code: string }) => p.code)).toEqual(Array.from({ length: 31 }, (_, i) => String(i).padStart(2, '0')));
    expect(await get(`${path}/provinces/23`)).toEqual({ code: '23', iso: 'IR-23', nameFa: 'تهران', nameEn: 'Tehran', capitalFa: 'تهران', capitalEn: 'Tehran' });
    expect((await get(`${path}/provinces/۳۰`)).nameEn).toBe('Alborz');
  });
  it('answers 404 unknown_province for a code of no province', async () => {
    const res = await agencies.call('GET', `${path}/provinces/31`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'unknown_province' });
  });
});

describe('per-agency behaviour', () => {
  it('gives each agency its own latency and failure rate', async () => {
    const options = behaviourOptions({ NOCR: { failureRate: 1 }, POST: { latency: { medianMs: 120, p95Ms: 120 } }, '*': {} });
    const slow = await startAgencies(DEMO_AGENCIES, options);
    try {
      const failing = await slow.call('GET', `${base('NOCR', 'identity', 'marital')}/persons/0012345679/marital-status`);
      expect(failing.status).toBe(503);
      expect(failing.body).toMatchObject({ error: 'service_unavailable' });
      const t0 = performance.now();
      expect((await slow.call('GET', `${base('POST', 'address', 'address')}/addresses/1193653471`)).status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
      expect((await slow.call('POST', `${base('CRA', 'shahkar', 'shahkar')}/verify`, JSON.stringify({ nationalCode: '0012345679', mobile: '09121234567' }))).status).toBe(200);
    } finally {
      await slow.close();
    }
  });

  it('draws log-normal latencies with the asked median and 95th percentile', () => {
    const rng = rngFor('t', 'latency', '1');
    const draws = Array.from({ length: 20_000 }, () => sampleLatency({ medianMs: 20, p95Ms: 80 }, rng)).sort((a, b) => a - b);
    expect(draws[10_000]).toBeGreaterThan(18);
    expect(draws[10_000]).toBeLessThan(22);
    expect(draws[19_000]).toBeGreaterThan(72);
    expect(draws[19_000]).toBeLessThan(88);
  });

  it('reads a behaviour table from JSON and refuses a bad one', () => {
    expect(parseBehaviourTable({ '*': { latency: { medianMs: 5 } }, CRA: { failureRate: 0.01 } })).toEqual({
      '*': { latency: { medianMs: 5, p95Ms: 5 } }, CRA: { failureRate: 0.01 },
    });
    for (const bad of [[], { NOCR: { failureRate: 2 } }, { NOCR: { latency: { medianMs: -1 } } }, { NOCR: { slow: true } }]) {
      expect(() => parseBehaviourTable(bad)).toThrow(expect.objectContaining({ type: Errors.InvalidInput.type }));
    }
  });
});

describe('plates', () => {
  it('are generated valid', () => {
    const rng = rngFor('t', 'plates', '1');
    for (let i = 0; i < 2000; i++) expect(isPlate(randomPlate(rng))).toBe(true);
  });
});
