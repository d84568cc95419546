// The oversight commands over a data directory: SLA documents (whose maximum rate reaches the
// snapshot), savings, baselines, mandates (condition as flags or JSON) and the UN survey, with coded
// refusals (exit status 2) that change nothing. Run in this process (runCli).
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_CONTRACT } from './harness.ts';
import { tabadolInProcess, type CliResult } from './tabadol-in-process.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { latestSnapshot } from '../src/snapshot/publish.ts';

const PERSON = 'IR/GOV/NOCR/identity/person';
let dataDir: string;

function tabadol(...args: string[]): Promise<CliResult> {
  return tabadolInProcess(['--data', dataDir, ...args]);
}
async function ok(...args: string[]): Promise<any> {
  const r = await tabadol(...args);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}
async function refused(type: string, ...args: string[]): Promise<void> {
  const r = await tabadol(...args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stderr).toMatch(new RegExp(`^error ${type.replace('.', '\\.')}: `));
}
/** The newest change-log entry's id: unchanged when a command changed nothing. */
async function changeCount(): Promise<number> {
  return (await ok('list', 'changes'))[0].id as number;
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-oversight-cli-'));
  const contract = path.join(dataDir, 'person.json');
  await writeFile(contract, JSON.stringify(PERSON_CONTRACT));
  await ok('member', 'add', 'GOV', 'NOCR', 'Civil registration');
  await ok('subsystem', 'add', 'IR/GOV/NOCR/identity');
  await ok('service', 'add', PERSON, '--contract', contract, '--base-url', 'http://10.0.0.5:9/nocr', '--title', 'Person');
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('tabadol sla, savings, baseline, mandate, survey', () => {
  it('sla set writes the document and the enforced rate, which the snapshot carries', async () => {
    expect(await ok('sla', 'set', PERSON, '--availability', '99.5', '--p95-ms', '800', '--max-rate', '50', '--hours', '24/7'))
      .toMatchObject({ serviceId: PERSON, availabilityPercent: 99.5, p95LatencyMs: 800, maxRatePerSecond: 50, supportHours: '24/7', enforcedRatePerSecond: 50 });
    expect(await ok('sla', 'set', PERSON, '--availability', '99', '--p95-ms', '1000', '--max-rate', '40', '--hours', 'sat-wed 08:00-16:00'))
      .toMatchObject({ supportHours: { days: 'sat-wed', from: '08:00', to: '16:00' }, maxRatePerSecond: 40 });
    expect(await ok('sla', 'show', PERSON)).toMatchObject({ availabilityPercent: 99 });
    expect(await ok('sla', 'list')).toHaveLength(1);
    const opened = await openRegistryAt(dataDir, { instance: 'IR', nodeId: 'central' });
    try {
      const doc = JSON.parse((await latestSnapshot(opened.registry.db))!.document) as { services: { id: string; maxRatePerSecond: number | null }[] };
      expect(doc.services.find((s) => s.id === PERSON)?.maxRatePerSecond).toBe(40);
    } finally {
      await opened.close();
    }

    const before = await changeCount();
    await refused('Admin.InvalidInput', 'sla', 'set', PERSON, '--availability', 'high', '--p95-ms', '800', '--max-rate', '50', '--hours', '24/7');
    await refused('Admin.InvalidInput', 'sla', 'set', PERSON, '--availability', '99', '--p95-ms', '800', '--max-rate', '50', '--hours', 'office hours');
    await refused('Admin.InvalidInput', 'sla', 'set', PERSON, '--availability', '99', '--p95-ms', '800', '--max-rate', '0', '--hours', '24/7');
    await refused('Admin.NotFound', 'sla', 'set', `${PERSON}-none`, '--availability', '99', '--p95-ms', '800', '--max-rate', '5', '--hours', '24/7');
    expect(await changeCount()).toBe(before);
    expect(await ok('sla', 'remove', PERSON)).toEqual({ removed: PERSON });
    await refused('Admin.NotFound', 'sla', 'show', PERSON);
  });

  it('savings and baselines are set and read back', async () => {
    expect(await ok('savings', 'set', PERSON, '--visits', '1', '--letters', '2')).toMatchObject({ visits: 1, letters: 2 });
    expect(await ok('savings', 'show', PERSON)).toMatchObject({ letters: 2 });
    expect(await ok('savings', 'list')).toHaveLength(1);
    await refused('Admin.InvalidInput', 'savings', 'set', PERSON, '--visits', '-1', '--letters', '2');
    expect(await ok('baseline', 'set', 'IR/GOV/NOCR', '--year', '1398', '--visits', '5000000', '--note', 'annual report 1398'))
      .toMatchObject({ memberId: 'IR/GOV/NOCR', year: 1398, visits: 5_000_000, note: 'annual report 1398' });
    expect(await ok('baseline', 'show', 'IR/GOV/NOCR', '--year', '1398')).toMatchObject({ visits: 5_000_000 });
    expect(await ok('baseline', 'list', '--member', 'IR/GOV/NOCR')).toHaveLength(1);
    await refused('Admin.InvalidInput', 'baseline', 'set', 'IR/GOV/NOCR', '--year', '98', '--visits', '1');
  });

  it('mandates take their condition as flags or as JSON; an id is added once unless --replace', async () => {
    const common = ['--title-fa', 'استعلام مدرک', '--title-en', 'Degree verification', '--resolution', 'session 12, resolution 4', '--deadline', '1400/06/31'];
    expect(await ok('mandate', 'add', 'WG-1', ...common, '--responsible', 'IR/GOV/NOCR', '--kind', 'service-offered', '--service', 'IR/GOV/MSRT/degrees/degree'))
      .toMatchObject({ id: 'WG-1', responsibleMember: 'IR/GOV/NOCR', condition: { kind: 'service-offered', service: 'IR/GOV/MSRT/degrees/degree' } });
    expect(await ok('mandate', 'add', 'WG-2', ...common, '--kind', 'min-monthly-usage', '--service', PERSON, '--consumers', 'IR/GOV/NOCR', '--per', 'consumer', '--at-least', '1000'))
      .toMatchObject({ responsibleMember: null, condition: { kind: 'min-monthly-usage', consumers: ['IR/GOV/NOCR'], per: 'consumer', atLeast: 1000 } });
    expect(await ok('mandate', 'add', 'WG-3', ...common, '--condition', '{"kind":"sla-coverage"}')).toMatchObject({ condition: { kind: 'sla-coverage' } });

    const before = await changeCount();
    await refused('Admin.AlreadyExists', 'mandate', 'add', 'WG-3', ...common, '--condition', '{"kind":"sla-coverage"}');
    await refused('Admin.InvalidInput', 'mandate', 'add', 'WG-4', ...common, '--kind', 'sla-coverage', '--at-least', '3');
    await refused('Admin.InvalidInput', 'mandate', 'add', 'WG-4', ...common, '--kind', 'paperless');
    await refused('Admin.InvalidInput', 'mandate', 'add', 'WG-4', ...common, '--condition', '{kind}');
    await refused('Admin.InvalidInput', 'mandate', 'add', 'WG-4', ...common.slice(0, -1), '1400/13/01', '--kind', 'sla-coverage');
    expect(await changeCount()).toBe(before);

    expect(await ok('mandate', 'add', 'WG-3', ...common, '--replace', '--kind', 'open-data-published', '--at-least', '10')).toMatchObject({ condition: { kind: 'open-data-published', atLeast: 10 } });
    expect((await ok('mandate', 'list')).map((m: { id: string }) => m.id)).toEqual(['WG-1', 'WG-2', 'WG-3']);
    expect(await ok('mandate', 'show', 'WG-2')).toMatchObject({ titleEn: 'Degree verification' });
    expect(await ok('mandate', 'remove', 'WG-2')).toEqual({ removed: 'WG-2' });
    await refused('Admin.NotFound', 'mandate', 'show', 'WG-2');
  });

  it('survey map adds, maps and unmaps; survey list counts what is online', async () => {
    expect(await ok('survey', 'map', 'personal-id-card', PERSON, '--title-fa', 'کارت ملی', '--title-en', 'Personal ID card'))
      .toMatchObject({ code: 'personal-id-card', services: [PERSON] });
    expect(await ok('survey', 'map', 'job-search', '--title-fa', 'جستجوی شغل', '--title-en', 'Job search')).toMatchObject({ services: [] });
    expect(await ok('survey', 'list')).toMatchObject({ total: 2, online: 1 });
    expect(await ok('survey', 'map', 'personal-id-card')).toMatchObject({ services: [] });
    expect(await ok('survey', 'map', 'personal-id-card', PERSON)).toMatchObject({ services: [PERSON] });
    await refused('Admin.NotFound', 'survey', 'map', 'nothing', PERSON);
    await refused('Admin.NotFound', 'survey', 'map', 'job-search', `${PERSON}-none`);
    await refused('Admin.InvalidInput', 'survey', 'map', 'job-search', '--title-fa', 'x');
    expect(await ok('survey', 'show', 'job-search')).toMatchObject({ services: [] });
  });
});
