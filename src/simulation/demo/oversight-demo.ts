// The demo's oversight data, like the 1399 scenario's (../scenario/oversight-seed.ts) but for the
// demo's reference agencies: SLA documents for a few services (one with office hours), what one
// answered inquiry saves for every demo service, a baseline of the civil registry's visits, two
// mandates (one met, one pending) and a few of the UN survey's services. SIMULATED values, chosen to
// show the reports, not declared by any agency. Idempotent: what is there is kept; the SLA rates are
// put back on services the demo re-registered at start.
import { oversightOf, type SlaInput } from '../../registry/oversight-data.ts';
import type { RegistryChange } from '../../registry/registry.ts';

const office = { days: 'sat-wed', from: '07:30', to: '14:30' } as const;
const SLAS: Readonly<Record<string, SlaInput>> = {
  'GOV/NOCR/identity/person': { availabilityPercent: 99.5, p95LatencyMs: 800, maxRatePerSecond: 500, supportHours: '24/7' },
  'GOV/POST/address/address': { availabilityPercent: 99, p95LatencyMs: 1000, maxRatePerSecond: 300, supportHours: '24/7' },
  'GOV/MSRT/degrees/degree': { availabilityPercent: 98, p95LatencyMs: 1500, maxRatePerSecond: 100, supportHours: office },
};

const SAVINGS: Readonly<Record<string, { visits: number; letters: number }>> = {
  'GOV/NOCR/identity/person': { visits: 1, letters: 1 },
  'GOV/NOCR/identity/marital': { visits: 1, letters: 1 },
  'GOV/POST/address/address': { visits: 0.5, letters: 1 },
  'GOV/MSRT/degrees/degree': { visits: 1, letters: 1 },
  'GOV/MOE/diplomas/diploma': { visits: 1, letters: 1 },
  'GOV/CBI/sheba/sheba-owner': { visits: 0.5, letters: 1 },
  'GOV/POLICE/traffic/driving-licence': { visits: 1, letters: 1 },
  'GOV/JUDICIARY/inheritance/heirs': { visits: 1, letters: 2 },
  'GOV/CII/third-party/policy': { visits: 0.5, letters: 1 },
};

const SURVEY = [
  { code: 'personal-id-card', titleEn: 'Personal identity card', titleFa: 'کارت شناسایی ملی', services: ['GOV/NOCR/identity/person'] },
  { code: 'marriage-certificate', titleEn: 'Marriage certificate', titleFa: 'گواهی ازدواج', services: ['GOV/NOCR/identity/marital'] },
  { code: 'driving-licence', titleEn: 'Driving licence', titleFa: 'گواهینامه رانندگی', services: ['GOV/POLICE/traffic/driving-licence'] },
  { code: 'change-of-address', titleEn: 'Change of address', titleFa: 'تغییر نشانی', services: ['GOV/POST/address/address'] },
  { code: 'building-permit', titleEn: 'Building permit', titleFa: 'پروانه ساختمان', services: [] },
];

/** Writes the demo's oversight data in a registry change (Registry.batch). */
export async function seedDemoOversight(change: RegistryChange): Promise<void> {
  const inst = change.instance;
  const o = oversightOf(change);
  await o.reapplySlaRates();
  const [slas, savings, baselines, mandates, survey] = await Promise.all([
    o.reads.listSlas(), o.reads.listSavings(), o.reads.listBaselines(), o.reads.listMandates(), o.reads.listSurvey(),
  ]);
  const offered = async (id: string) => change.exists('services', id);
  for (const [s, level] of Object.entries(SLAS)) {
    const id = `${inst}/${s}`;
    if (!slas.some((x) => x.serviceId === id) && await offered(id)) await o.setSla(id, level);
  }
  for (const [s, declared] of Object.entries(SAVINGS)) {
    const id = `${inst}/${s}`;
    if (!savings.some((x) => x.serviceId === id) && await offered(id)) await o.setSavings(id, declared);
  }
  const nocr = `${inst}/GOV/NOCR`;
  if (!baselines.some((b) => b.memberId === nocr) && await change.exists('members', nocr)) {
    await o.setBaseline(nocr, 1396, { visits: 12_000_000, note: 'simulated: a figure of the demo, not a declared one' });
  }
  const known = new Set(mandates.map((m) => m.id));
  if (!known.has('DEMO-01') && await change.exists('members', `${inst}/GOV/MSRT`)) {
    await o.putMandate('DEMO-01', {
      titleFa: 'استعلام الکترونیکی مدرک تحصیلی بدون نامه کاغذی', titleEn: 'Electronic degree verification with no paper letter',
      resolution: 'demo, resolution 1', responsibleMember: `${inst}/GOV/MSRT`, deadline: '1400/06/31',
      condition: { kind: 'service-offered', service: `${inst}/GOV/MSRT/degrees/degree` },
    }, false);
  }
  if (!known.has('DEMO-02')) {
    await o.putMandate('DEMO-02', {
      titleFa: 'تدوین سند سطح خدمت برای همه خدمات', titleEn: 'An SLA document for every service',
      resolution: 'demo, resolution 2', responsibleMember: null, deadline: '1499/12/29', condition: { kind: 'sla-coverage' },
    }, false);
  }
  const mapped = new Set(survey.map((s) => s.code));
  for (const s of SURVEY) {
    if (mapped.has(s.code)) continue;
    const services: string[] = [];
    for (const x of s.services) if (await offered(`${inst}/${x}`)) services.push(`${inst}/${x}`);
    await o.putSurveyService(s.code, { titleFa: s.titleFa, titleEn: s.titleEn, services });
  }
}
