import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJalali } from '../../dates/jalali.ts';
import { isMobile, isPostalCode } from '../../identifiers/iran.ts';
import { readContract } from '../../contracts/openapi.ts';
import type { Agency, OpenApiOperation } from './agency.ts';
import { nationalCodes, startAgencies, strictAjv, type Answer, type RunningAgencies } from './agency-test-kit.ts';
import { demoAgencies, demoContracts } from './demo.ts';
import type { AgencyServerOptions } from './server.ts';
import {
  DEMO_CITIZEN,
  addressByPostalCode,
  citizenByNationalCode,
  citizenByPostalCode,
} from './synthetic.ts';

const DEMO_AGENCIES = demoAgencies();

// The kit checks every 200 and 400 answer against its contract; these wrappers keep the tests short.
const servers = new Map<string, RunningAgencies>();

function call(base: string, method: string, path: string, body?: string): Promise<Answer> {
  return (servers.get(base) as RunningAgencies).call(method, path, body);
}

async function start(agencies: readonly Agency[], opts?: AgencyServerOptions): Promise<{ server: http.Server; base: string }> {
  const running = await startAgencies(agencies, opts);
  servers.set(running.base, running);
  return running;
}

const stop = async (server: http.Server): Promise<void> => {
  for (const [base, running] of servers) {
    if (running.server === server) {
      servers.delete(base);
      await running.close();
    }
  }
};

const OTHER = nationalCodes(1)[0] as string;

let base = '';
let server: http.Server;

beforeAll(async () => {
  ({ server, base } = await start(DEMO_AGENCIES));
});

afterAll(async () => {
  await stop(server);
});

describe('agency server', () => {
  it('answers /health', async () => {
    const res = await call(base, 'GET', '/health');
    expect(res.status).toBe(200);
  });

  it('answers 404 JSON for an unknown service or path, 405 for a wrong method', async () => {
    expect((await call(base, 'GET', '/NOPE/x/y/persons/0012345679')).status).toBe(404);
    expect((await call(base, 'GET', '/')).status).toBe(404);
    const path = await call(base, 'GET', '/NOCR/identity/person/people/0012345679');
    expect(path.status).toBe(404);
    expect(path.body).toMatchObject({ error: 'unknown_path' });
    const method = await call(base, 'DELETE', '/NOCR/identity/person/persons/0012345679');
    expect(method.status).toBe(405);
    expect(method.headers.get('allow')).toBe('GET');
  });

  it('refuses a body that is not JSON with 400 invalid_json', async () => {
    const res = await call(base, 'POST', '/CRA/shahkar/shahkar/verify', '{"nationalCode": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_json' });
  });

  it('refuses bad percent-encoding with 400 invalid_path', async () => {
    const res = await call(base, 'GET', '/POST/address/address/addresses/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_path' });
  });

  it('injects latency and failures only when asked', async () => {
    const slow = await start(DEMO_AGENCIES, { latencyMs: (s) => (s.serviceCode === 'address' ? 120 : 0) });
    try {
      const t0 = performance.now();
      expect((await call(slow.base, 'GET', '/POST/address/address/addresses/1193653471')).status).toBe(200);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(100);
    } finally {
      await stop(slow.server);
    }
    const failing = await start(DEMO_AGENCIES, { failureRate: 0.5, random: (() => { let i = 0; return () => (i++ % 2 === 0 ? 0.1 : 0.9); })() });
    try {
      const first = await call(failing.base, 'GET', '/POST/address/address/addresses/1193653471');
      expect(first.status).toBe(503);
      expect(first.body).toMatchObject({ error: 'service_unavailable' });
      expect((await call(failing.base, 'GET', '/POST/address/address/addresses/1193653471')).status).toBe(200);
      expect((await call(failing.base, 'GET', '/health')).status).toBe(200);
    } finally {
      await stop(failing.server);
    }
  });
});

describe('NOCR person inquiry', () => {
  const person = (code: string, birthDate?: string): string =>
    `/NOCR/identity/person/persons/${encodeURIComponent(code)}` + (birthDate === undefined ? '' : `?birthDate=${encodeURIComponent(birthDate)}`);

  it('finds the demo citizen with the right birth date', async () => {
    const res = await call(base, 'GET', person('0012345679', '1370/06/15'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی', fatherName: 'محمد',
      birthDate: '1370/06/15', alive: true, matches: true,
    });
  });

  it('accepts Persian digits and an unescaped slash in the query', async () => {
    const persian = await call(base, 'GET', person('۰۰۱۲۳۴۵۶۷۹', '۱۳۷۰/۰۶/۱۵'));
    expect(persian.body).toMatchObject({ nationalCode: '0012345679', matches: true });
    const raw = await call(base, 'GET', '/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15');
    expect(raw.body).toMatchObject({ matches: true });
  });

  it('does not leak anything on a wrong birth date', async () => {
    const res = await call(base, 'GET', person('0012345679', '1370/06/16'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ nationalCode: '0012345679', matches: false });
  });

  it('answers a synthetic citizen consistently with the citizen model', async () => {
    const c = citizenByNationalCode(OTHER);
    const res = await call(base, 'GET', person(OTHER, c.birthDate));
    expect(res.body).toEqual({
      nationalCode: OTHER, firstName: c.firstName, lastName: c.lastName, fatherName: c.fatherName,
      birthDate: c.birthDate, alive: c.alive, matches: true,
    });
  });

  it('refuses a bad check digit with 400 invalid_national_code', async () => {
    for (const bad of ['0012345678', '1111111111', '12345679', 'abcdefghij']) {
      const res = await call(base, 'GET', person(bad, '1370/06/15'));
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_national_code' });
    }
  });

  it('refuses a missing or invalid birth date with 400 invalid_birth_date', async () => {
    for (const bad of [undefined, '', '70/06/15', '1370-06-15', '1370/13/01', '1370/6/15', '1400/12/30', 'yesterday']) {
      const res = await call(base, 'GET', person('0012345679', bad));
      expect(res.status, String(bad)).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_birth_date' });
    }
    // 1399 is a leap year, so its 30 Esfand exists.
    expect((await call(base, 'GET', person('0012345679', '1399/12/30'))).status).toBe(200);
  });
});

describe('Post address inquiry', () => {
  const address = (code: string): string => `/POST/address/address/addresses/${encodeURIComponent(code)}`;

  it("returns the demo citizen's address for 1193653471", async () => {
    const res = await call(base, 'GET', address('1193653471'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(DEMO_CITIZEN.address);
    expect(res.body).toMatchObject({ province: 'تهران', city: 'تهران', postalCode: DEMO_CITIZEN.postalCode });
  });

  it("returns every synthetic citizen's own address", async () => {
    for (const code of nationalCodes(5)) {
      const c = citizenByNationalCode(code);
      const res = await call(base, 'GET', address(c.postalCode));
      expect(res.body).toEqual(JSON.parse(JSON.stringify(c.address)));
    }
  });

  it('answers any valid postal code, even one no citizen lives at', async () => {
    expect(citizenByPostalCode('9999912345')).toBeUndefined();
    const res = await call(base, 'GET', address('9999912345'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ postalCode: '9999912345' });
  });

  it('refuses an invalid postal code with 400 invalid_postal_code', async () => {
    for (const bad of ['1023456789', '119365347', 'abcdefghij', '11936534711']) {
      const res = await call(base, 'GET', address(bad));
      expect(res.status, bad).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_postal_code' });
    }
  });
});

describe('CRA Shahkar', () => {
  const verify = (body: unknown): Promise<Answer> =>
    call(base, 'POST', '/CRA/shahkar/shahkar/verify', typeof body === 'string' ? body : JSON.stringify(body));

  it("matches the demo citizen's mobile and not another", async () => {
    expect((await verify({ nationalCode: '0012345679', mobile: '09121234567' })).body).toEqual({ matches: true });
    expect((await verify({ nationalCode: '0012345679', mobile: '+989121234567' })).body).toEqual({ matches: true });
    expect((await verify({ nationalCode: '0012345679', mobile: '09121234568' })).body).toEqual({ matches: false });
    expect((await verify({ nationalCode: OTHER, mobile: '09121234567' })).body).toEqual({ matches: false });
    const other = citizenByNationalCode(OTHER);
    expect((await verify({ nationalCode: OTHER, mobile: other.mobile })).body).toEqual({ matches: true });
  });

  it('refuses invalid input with 400 and a code', async () => {
    const cases: Array<[unknown, string]> = [
      [{ nationalCode: '0012345678', mobile: '09121234567' }, 'invalid_national_code'],
      [{ mobile: '09121234567' }, 'invalid_national_code'],
      [{ nationalCode: 12345679, mobile: '09121234567' }, 'invalid_national_code'],
      [{ nationalCode: '0012345679', mobile: '0912123456' }, 'invalid_mobile'],
      [{ nationalCode: '0012345679', mobile: '02112345678' }, 'invalid_mobile'],
      [{ nationalCode: '0012345679' }, 'invalid_mobile'],
      [{ nationalCode: '0012345679', mobile: '09121234567', name: 'x' }, 'invalid_body'],
      [[], 'invalid_body'],
      ['"0012345679"', 'invalid_body'],
    ];
    for (const [body, error] of cases) {
      const res = await verify(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error });
    }
    const empty = await fetch(`${base}/CRA/shahkar/shahkar/verify`, { method: 'POST' });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: 'invalid_body' });
  });
});

describe('contracts', () => {
  it('follow the conventions the node relies on', () => {
    for (const c of demoContracts('http://127.0.0.1:9/')) {
      expect(c.url).toBe(`http://127.0.0.1:9/${c.memberCode}/${c.subsystemCode}/${c.serviceCode}`);
      expect(c.contract.openapi).toBe('3.1.0');
      expect(c.contract.info['x-tabadol-simulated']).toBe(true);
      for (const item of Object.values(c.contract.paths)) {
        for (const op of Object.values(item) as OpenApiOperation[]) {
          for (const status of ['200', '400']) {
            const schema = op.responses[status]?.content?.['application/json'].schema;
            expect(schema, `${op.operationId} ${status}`).toBeDefined();
            expect(schema?.additionalProperties).toBe(false);
            expect(strictAjv.validateSchema(schema as object)).toBe(true);
          }
          for (const p of op.parameters ?? []) expect(p.schema.type).toBeDefined();
        }
      }
    }
  });

  it('mark the subject where the node looks for it', () => {
    const subjects = Object.fromEntries(
      demoContracts().map((c) => [c.serviceCode, readContract(c.contract).map((e) => e.subject)]),
    );
    expect(subjects).toMatchObject({
      person: [{ in: 'path', name: 'nationalCode' }],
      marital: [{ in: 'path', name: 'nationalCode' }],
      address: [undefined],
      'legal-address': [undefined],
      shahkar: [{ in: 'body', name: 'nationalCode' }],
      // Natural persons are subjects, legal persons are not.
      accounts: [{ in: 'path', name: 'nationalCode' }, undefined],
      provinces: [undefined, undefined, undefined, undefined],
    });
  });
});

describe('synthetic population', () => {
  it('is deterministic, and a different seed gives different people (except the demo citizen)', async () => {
    expect(citizenByNationalCode(OTHER)).toEqual(citizenByNationalCode(OTHER));
    const path = `/NOCR/identity/person/persons/${OTHER}?birthDate=${citizenByNationalCode(OTHER).birthDate}`;
    expect((await call(base, 'GET', path)).body).toEqual((await call(base, 'GET', path)).body);

    const codes = nationalCodes(20);
    const differ = codes.filter((code) => {
      const a = citizenByNationalCode(code, 'seed-a');
      const b = citizenByNationalCode(code, 'seed-b');
      return a.firstName !== b.firstName || a.lastName !== b.lastName || a.birthDate !== b.birthDate;
    });
    expect(differ.length).toBeGreaterThan(15);
    expect(citizenByNationalCode('0012345679', 'seed-b')).toEqual(DEMO_CITIZEN);

    const other = await start(demoAgencies('seed-b'));
    try {
      const b = citizenByNationalCode(OTHER, 'seed-b');
      const res = await call(other.base, 'GET', `/NOCR/identity/person/persons/${OTHER}?birthDate=${b.birthDate}`);
      expect(res.body).toMatchObject({ firstName: b.firstName, lastName: b.lastName, matches: true });
    } finally {
      await stop(other.server);
    }
  });

  it('gives every citizen a valid postal code, mobile and birth date, and resolves them back', () => {
    for (const code of nationalCodes(300, 987_654)) {
      const c = citizenByNationalCode(code);
      expect(isPostalCode(c.postalCode), c.postalCode).toBe(true);
      expect(isMobile(c.mobile), c.mobile).toBe(true);
      expect(c.mobile).toMatch(/^09[0-9]{9}$/);
      expect(parseJalali(c.birthDate).year).toBeGreaterThanOrEqual(1310);
      expect(c.address).toEqual(addressByPostalCode(c.postalCode));
      expect(citizenByPostalCode(c.postalCode)?.nationalCode).toBe(code);
    }
    expect(citizenByPostalCode('1193653471')).toEqual(DEMO_CITIZEN);
  });

  it('refuses invalid identifiers', () => {
    expect(() => citizenByNationalCode('0012345678')).toThrow(RangeError);
    expect(() => addressByPostalCode('1023456789')).toThrow(RangeError);
  });
});
