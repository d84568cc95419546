// Every generated service answers its sample inquiry within its contract, consistently with the
// reference agencies, and refuses bad input with a 400 and a code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgencies, type RunningAgencies } from '../agencies/agency-test-kit.ts';
import { rngFor } from '../agencies/random.ts';
import { serviceBasePath } from '../agencies/server.ts';
import { legalEntityById } from '../agencies/synthetic-legal-entities.ts';
import { DEMO_PLATE } from '../agencies/synthetic-vehicles.ts';
import { DEMO_CITIZEN } from '../agencies/synthetic.ts';
import { buildScenario } from './scenario.ts';

const scenario = buildScenario();
const generated = scenario.services.filter((s) => !s.reference);
const kindOf = (path: string): string => path.split('/')[1] as string;

let agencies: RunningAgencies;
beforeAll(async () => {
  agencies = await startAgencies(scenario.agencies);
});
afterAll(async () => {
  await agencies.close();
});

describe('generated services', () => {
  it('are 944, and each answers its sample inquiry within its contract', async () => {
    expect(generated).toHaveLength(944);
    const rng = rngFor('generated-test', 'samples', '1');
    for (const s of generated) {
      const sample = s.service.sample!(rng);
      const res = await agencies.call(sample.method, serviceBasePath(s.agency, s.service) + sample.path, sample.body === undefined ? undefined : JSON.stringify(sample.body));
      expect(res.status, `${s.id} ${sample.path}`).toBe(200);
    }
  });

  it('name the holder as the other agencies do, and give the same answer twice', async () => {
    const byKind = (k: string) => generated.find((s) => kindOf(Object.keys(s.service.contract.paths)[0] as string) === k)!;
    const person = byKind('persons');
    const answer = await agencies.call('GET', `${serviceBasePath(person.agency, person.service)}/persons/${DEMO_CITIZEN.nationalCode}`);
    expect(answer.body).toEqual((await agencies.call('GET', `${serviceBasePath(person.agency, person.service)}/persons/${DEMO_CITIZEN.nationalCode}`)).body);
    if ((answer.body as { found: boolean }).found) expect(answer.body).toMatchObject({ holderName: `${DEMO_CITIZEN.firstName} ${DEMO_CITIZEN.lastName}` });

    const company = byKind('legal-entities');
    const legalId = '10327942863';
    const c = await agencies.call('GET', `${serviceBasePath(company.agency, company.service)}/legal-entities/${legalId}`);
    if ((c.body as { found: boolean }).found) expect(c.body).toMatchObject({ holderName: legalEntityById(legalId).nameFa });

    const vehicle = byKind('vehicles');
    const v = await agencies.call('POST', `${serviceBasePath(vehicle.agency, vehicle.service)}/vehicles/inquiry`, JSON.stringify({ plate: DEMO_PLATE }));
    expect(v.status).toBe(200);
    if ((v.body as { found: boolean }).found) expect(v.body).toMatchObject({ holderName: `${DEMO_CITIZEN.firstName} ${DEMO_CITIZEN.lastName}` });

    const place = byKind('places');
    const p = await agencies.call('GET', `${serviceBasePath(place.agency, place.service)}/places/${DEMO_CITIZEN.postalCode}`);
    if ((p.body as { found: boolean }).found) expect(p.body).toMatchObject({ province: DEMO_CITIZEN.address.province });
  });

  it('refuse bad input with 400 and the code of the subject\'s kind', async () => {
    const bad: Record<string, [string, string | undefined, string]> = {
      persons: ['/persons/0012345678', undefined, 'invalid_national_code'],
      'legal-entities': ['/legal-entities/10327942864', undefined, 'invalid_legal_id'],
      places: ['/places/1023456789', undefined, 'invalid_postal_code'],
      vehicles: ['/vehicles/inquiry', JSON.stringify({ plate: '12X34577' }), 'invalid_plate'],
    };
    const seen = new Set<string>();
    for (const s of generated) {
      const kind = kindOf(Object.keys(s.service.contract.paths)[0] as string);
      if (seen.has(kind)) continue;
      seen.add(kind);
      const [path, body, error] = bad[kind]!;
      const res = await agencies.call(body === undefined ? 'GET' : 'POST', serviceBasePath(s.agency, s.service) + path, body);
      expect(res.status, s.id).toBe(400);
      expect(res.body).toMatchObject({ error });
    }
    expect(seen.size).toBe(4);
  });
});
