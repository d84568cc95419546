// The oversight data of the 1399 scenario, written by `scenario load` in its own batch: what one
// answered inquiry saves, per service by category; baseline visits of some agencies; SLA documents
// for SOME services only (the 1399 report says SLAs were not yet written for all, so the
// "sla-coverage" mandate comes out unmet); the working group's resolutions the report lists; and the
// UN e-government survey's 25 services, 20 of them mapped to services of the scenario ("20 of 25
// online", as the report counts).
//
// ASSUMPTIONS, not figures of the report: the visits and letters per category, the baseline visits,
// the SLA targets and rates, the mandates' resolution references, deadlines and thresholds are
// plausible values chosen for the simulation, to be replaced by the agencies' own declarations.
// SLA rates are well above what `scenario run` sends, so that the run is never rate-limited.
//
// Seeding is idempotent like the load: what an operator already declared (an SLA, savings, a
// baseline, a mandate, a survey service) is kept, not overwritten. After the load re-registers the
// services (which resets their enforced rate), every SLA's rate is put back on its service.
import { oversightOf, type MandateInput, type SlaInput } from '../../registry/oversight-data.ts';
import type { RegistryChange } from '../../registry/registry.ts';
import type { Category } from './catalogue.ts';
import type { Scenario } from './scenario.ts';

/** In-person visits and paper letters one answered inquiry replaces, by the provider's category
 * (ASSUMPTIONS). Most inquiries are one agency checking what a citizen would otherwise have carried
 * in on paper, so one inquiry spares a fraction of a visit: NOCR's person inquiry, asked hundreds of
 * millions of times a year, spares one visit in a hundred. Scaled so that the development plan's
 * indicator on the history comes out plausible: NOCR beyond the 12.5 % target, most others short. */
export const SAVINGS_BY_CATEGORY: Readonly<Record<Category, { visits: number; letters: number }>> = {
  identity: { visits: 0.01, letters: 1 }, // a trip to the civil-registration office for a certified copy
  address: { visits: 0.02, letters: 1 },
  telecom: { visits: 0.02, letters: 0.5 },
  education: { visits: 0.05, letters: 1 }, // degree verification: a letter to the university and a visit to fetch the answer
  finance: { visits: 0.02, letters: 1 },
  tax: { visits: 0.05, letters: 1 },
  vehicle: { visits: 0.05, letters: 1 },
  military: { visits: 0.05, letters: 1 },
  judicial: { visits: 0.05, letters: 2 }, // courts wrote to several agencies per case
  travel: { visits: 0.02, letters: 1 },
  insurance: { visits: 0.02, letters: 1 },
  statistics: { visits: 0, letters: 0.2 }, // reference data: rarely asked for by a citizen in person
  property: { visits: 0.05, letters: 2 }, // a deed office asks the land register and the municipality
  welfare: { visits: 0.05, letters: 1 },
  health: { visits: 0.02, letters: 0.5 },
  business: { visits: 0.05, letters: 1 },
  customs: { visits: 0.02, letters: 1 },
  transport: { visits: 0.02, letters: 0.5 },
  utilities: { visits: 0.02, letters: 0.5 },
  agriculture: { visits: 0.05, letters: 1 },
  environment: { visits: 0.02, letters: 1 },
  culture: { visits: 0.02, letters: 0.5 },
  civil: { visits: 0.02, letters: 1 },
  government: { visits: 0.02, letters: 1 },
};

/** Baseline in-person visits for base year 1396 (the year before the exchange's growth), by member code (ASSUMPTIONS). */
export const BASE_YEAR = 1396;
export const BASELINES: Readonly<Record<string, number>> = {
  NOCR: 40_000_000,
  POLICE: 20_000_000,
  SSAA: 9_000_000,
  SSO: 15_000_000,
  INTA: 4_000_000,
  'TEHRAN-MUNICIPALITY': 3_000_000,
};

const office = { days: 'sat-wed', from: '07:30', to: '14:30' } as const; // Iranian government office hours
const sla = (availabilityPercent: number, p95LatencyMs: number, maxRatePerSecond: number, round = true): SlaInput =>
  ({ availabilityPercent, p95LatencyMs, maxRatePerSecond, supportHours: round ? '24/7' : office });

/** SLA documents of the reference services only: 17 of 961 (ASSUMPTIONS). Ids without the instance. */
export const SLAS: Readonly<Record<string, SlaInput>> = {
  'GOV/NOCR/identity/person': sla(99.5, 800, 5000),
  'GOV/NOCR/identity/marital': sla(99.5, 800, 2000),
  'GOV/POST/address/address': sla(99, 1000, 4000),
  'GOV/POST/address/legal-address': sla(99, 1000, 2000),
  'GOV/CRA/shahkar/shahkar': sla(99.5, 500, 5000),
  'GOV/MSRT/degrees/degree': sla(98, 1500, 2000, false),
  'GOV/MOE/diplomas/diploma': sla(98, 1500, 2000, false),
  'GOV/CBI/sheba/sheba-owner': sla(99.9, 500, 4000),
  'GOV/INTA/taxpayer/accounts': sla(99, 1200, 2000),
  'GOV/POLICE/traffic/vehicle': sla(99, 1000, 3000),
  'GOV/POLICE/traffic/driving-licence': sla(99, 1000, 3000),
  'GOV/POLICE/amaken/premises': sla(98, 2000, 2000, false),
  'GOV/CONSCRIPTION/military-service/status': sla(98, 1500, 2000),
  'GOV/JUDICIARY/inheritance/heirs': sla(98, 2000, 2000, false),
  'GOV/MFA/consular/residence-abroad': sla(97, 2000, 2000, false),
  'GOV/CII/third-party/policy': sla(99, 1000, 3000),
  'GOV/SCI/divisions/provinces': sla(99.9, 300, 5000),
};

type MandateSeed = Omit<MandateInput, 'responsibleMember' | 'condition'> & {
  /** Member path without the instance, or null for every agency. */
  responsible: string | null;
  /** The condition, with instance-less ids that the seed completes. */
  condition: MandateInput['condition'];
};

/** The working group's resolutions the 1399 report lists (references and thresholds are ASSUMPTIONS). */
export const MANDATES: Readonly<Record<string, MandateSeed>> = {
  'WG-1399-01': {
    titleFa: 'تدوین سند سطح خدمت برای همه خدمات', titleEn: 'An SLA document for every service',
    resolution: 'session 10, resolution 1', responsible: null, deadline: '1399/12/29', condition: { kind: 'sla-coverage' },
  },
  'WG-1399-02': {
    titleFa: 'انتشار داده‌های باز در درگاه ملی', titleEn: 'Open data on the national portal',
    resolution: 'session 10, resolution 2', responsible: null, deadline: '1400/06/31', condition: { kind: 'open-data-published', atLeast: 10 },
  },
  'WG-1399-03': {
    titleFa: 'استعلام الکترونیکی مدرک تحصیلی بدون نامه کاغذی', titleEn: 'Electronic degree verification with no paper letter',
    resolution: 'session 11, resolution 3', responsible: 'GOV/MSRT', deadline: '1400/06/31',
    condition: { kind: 'service-offered', service: 'GOV/MSRT/degrees/degree' },
  },
  'WG-1399-04': {
    titleFa: 'پایگاه تقسیمات کشوری', titleEn: 'The country-divisions database on the exchange',
    resolution: 'session 11, resolution 4', responsible: 'GOV/SCI', deadline: '1400/03/31',
    condition: { kind: 'service-offered', service: 'GOV/SCI/divisions/provinces' },
  },
  'WG-1399-05': {
    titleFa: 'احراز هویت متقاضیان گواهی انحصار وراثت', titleEn: 'Verification of inheritance-certificate applicants',
    resolution: 'session 12, resolution 2', responsible: 'GOV/JUDICIARY', deadline: '1400/03/31',
    condition: { kind: 'min-monthly-usage', service: 'GOV/JUDICIARY/inheritance/heirs', atLeast: 50_000 },
  },
  'WG-1399-06': {
    titleFa: 'حذف کاغذ از بیمه شخص ثالث', titleEn: 'Paperless third-party insurance: insurers check cover through the exchange',
    resolution: 'session 12, resolution 5', responsible: 'GOV/CII', deadline: '1400/06/31',
    condition: { kind: 'min-monthly-usage', service: 'GOV/CII/third-party/policy', consumers: ['COM/IRAN-INSURANCE'], per: 'consumer', atLeast: 100_000 },
  },
  'WG-1399-07': {
    titleFa: 'ثبت مکان‌محور نقاط کسب‌وکار', titleEn: 'Location-based registration of business points',
    resolution: 'session 13, resolution 1', responsible: 'GOV/POST', deadline: '1400/09/30',
    // Not offered in 1399: the report lists it as pending.
    condition: { kind: 'service-offered', service: 'GOV/POST/address/business-location' },
  },
  'WG-1399-08': {
    titleFa: 'رفع مشکل تاریخ ۱۴۰۰ در سامانه‌ها', titleEn: 'The 1400 date problem: four-digit years in every system',
    resolution: 'session 13, resolution 3', responsible: null, deadline: '1400/01/31',
    condition: { kind: 'max-error-rate', percent: 1 },
  },
};

/** The UN e-government survey's services: 20 mapped to scenario services, 5 not online through the exchange. */
export const SURVEY: readonly { code: string; titleEn: string; titleFa: string; services: readonly string[] }[] = [
  { code: 'birth-certificate', titleEn: 'Birth certificate', titleFa: 'گواهی ولادت', services: ['GOV/NOCR/inquiries/birth-certificate-status', 'GOV/NOCR/inquiries/birth-registration-status'] },
  { code: 'marriage-certificate', titleEn: 'Marriage certificate', titleFa: 'گواهی ازدواج', services: ['GOV/NOCR/identity/marital'] },
  { code: 'death-certificate', titleEn: 'Death certificate', titleFa: 'گواهی فوت', services: ['GOV/NOCR/inquiries/death-record-status'] },
  { code: 'personal-id-card', titleEn: 'Personal identity card', titleFa: 'کارت شناسایی ملی', services: ['GOV/NOCR/identity/person', 'GOV/NOCR/inquiries/national-smart-card-status'] },
  { code: 'passport', titleEn: 'Passport', titleFa: 'گذرنامه', services: ['GOV/POLICE/inquiries/passport-status'] },
  { code: 'driving-licence', titleEn: 'Driving licence', titleFa: 'گواهینامه رانندگی', services: ['GOV/POLICE/traffic/driving-licence'] },
  { code: 'vehicle-registration', titleEn: 'Vehicle registration', titleFa: 'ثبت و نقل و انتقال خودرو', services: ['GOV/POLICE/traffic/vehicle', 'GOV/POLICE/inquiries/vehicle-transfer-status'] },
  { code: 'business-registration', titleEn: 'Business registration', titleFa: 'ثبت شرکت', services: ['GOV/SSAA/inquiries/company-registration-status'] },
  { code: 'building-permit', titleEn: 'Building permit', titleFa: 'پروانه ساختمان', services: ['GOV/TEHRAN-MUNICIPALITY/inquiries/building-permit-status'] },
  { code: 'land-title-registration', titleEn: 'Land title registration', titleFa: 'ثبت سند مالکیت', services: ['GOV/SSAA/inquiries/property-deed-status', 'GOV/SSAA/inquiries/land-register-status'] },
  { code: 'income-tax', titleEn: 'Income tax return', titleFa: 'اظهارنامه مالیات بر درآمد', services: ['GOV/INTA/inquiries/tax-return-status'] },
  { code: 'vat', titleEn: 'Value-added tax', titleFa: 'مالیات بر ارزش افزوده', services: ['GOV/INTA/inquiries/vat-registration-status'] },
  { code: 'social-security', titleEn: 'Social security and pensions', titleFa: 'تأمین اجتماعی و مستمری', services: ['GOV/SSO/inquiries/insurance-record-status', 'GOV/CSPF/inquiries/civil-service-pension-status'] },
  { code: 'health-insurance', titleEn: 'Health insurance', titleFa: 'بیمه سلامت', services: ['GOV/IHIO/inquiries/health-insurance-cover-status'] },
  { code: 'change-of-address', titleEn: 'Change of address', titleFa: 'تغییر نشانی', services: ['GOV/POST/address/address', 'GOV/POST/inquiries/postal-code-status'] },
  { code: 'enrolment', titleEn: 'Enrolment in school or university', titleFa: 'ثبت‌نام در مدرسه یا دانشگاه', services: ['GOV/MOE/inquiries/school-enrolment-status', 'GOV/SANJESH/inquiries/entrance-exam-result-status', 'GOV/IAU/inquiries/student-enrolment-status'] },
  { code: 'unemployment-benefits', titleEn: 'Unemployment benefits', titleFa: 'بیمه بیکاری', services: ['GOV/MCLS/inquiries/unemployment-insurance-status'] },
  { code: 'police-clearance', titleEn: 'Police clearance certificate', titleFa: 'گواهی عدم سوءپیشینه', services: ['GOV/POLICE/inquiries/criminal-record-status'] },
  { code: 'utility-connection', titleEn: 'Utility connection', titleFa: 'انشعاب آب، برق و گاز', services: ['GOV/TAVANIR/inquiries/electricity-subscription-status', 'GOV/NIGC/inquiries/gas-subscription-status', 'GOV/ABFA/inquiries/water-subscription-status'] },
  { code: 'customs-declaration', titleEn: 'Customs declaration', titleFa: 'اظهارنامه گمرکی', services: ['GOV/IRICA/inquiries/customs-declaration-status'] },
  { code: 'job-search', titleEn: 'Job search', titleFa: 'جستجوی شغل', services: [] },
  { code: 'environmental-permit', titleEn: 'Environment-related permits', titleFa: 'مجوزهای زیست‌محیطی', services: [] },
  { code: 'police-report', titleEn: 'Declaration to the police', titleFa: 'گزارش به پلیس', services: [] },
  { code: 'public-procurement', titleEn: 'Public procurement', titleFa: 'تدارکات دولتی', services: [] },
  { code: 'visa-application', titleEn: 'Visa application', titleFa: 'درخواست روادید', services: [] },
];

export interface OversightSeedSummary {
  readonly slas: number;
  readonly savings: number;
  readonly baselines: number;
  readonly mandates: number;
  readonly surveyServices: number;
}

/** Writes the scenario's oversight data in the load's change (see the top of this file). */
export async function seedOversight(change: RegistryChange, scenario: Scenario): Promise<OversightSeedSummary> {
  const inst = change.instance;
  const o = oversightOf(change);
  const added = { slas: 0, savings: 0, baselines: 0, mandates: 0, surveyServices: 0 };

  await o.reapplySlaRates();
  const [slas, savings, baselines, mandates, survey] = await Promise.all([
    o.reads.listSlas(), o.reads.listSavings(), o.reads.listBaselines(), o.reads.listMandates(), o.reads.listSurvey(),
  ]);
  const has = <T>(rows: readonly T[], key: (r: T) => string) => new Set(rows.map(key));
  const withSla = has(slas, (s) => s.serviceId);
  const withSavings = has(savings, (s) => s.serviceId);
  const withBaseline = has(baselines, (b) => `${b.memberId} ${b.year}`);
  const knownMandates = has(mandates, (m) => m.id);
  const knownSurvey = has(survey, (s) => s.code);

  for (const s of scenario.services) {
    const id = `${inst}/${s.id}`;
    if (withSavings.has(id)) continue;
    await o.setSavings(id, SAVINGS_BY_CATEGORY[s.category]);
    added.savings++;
  }
  for (const [serviceId, level] of Object.entries(SLAS)) {
    const id = `${inst}/${serviceId}`;
    if (withSla.has(id)) continue;
    await o.setSla(id, level);
    added.slas++;
  }
  for (const [memberCode, visits] of Object.entries(BASELINES)) {
    const id = `${inst}/GOV/${memberCode}`;
    if (withBaseline.has(`${id} ${BASE_YEAR}`)) continue;
    await o.setBaseline(id, BASE_YEAR, { visits, note: 'simulated: an assumption of the 1399 scenario, not a declared figure' });
    added.baselines++;
  }
  for (const [id, m] of Object.entries(MANDATES)) {
    if (knownMandates.has(id)) continue;
    const { responsible, condition, ...rest } = m;
    await o.putMandate(id, { ...rest, responsibleMember: responsible === null ? null : `${inst}/${responsible}`, condition: withInstance(condition, inst) }, false);
    added.mandates++;
  }
  for (const s of SURVEY) {
    if (knownSurvey.has(s.code)) continue;
    await o.putSurveyService(s.code, { titleFa: s.titleFa, titleEn: s.titleEn, services: s.services.map((x) => `${inst}/${x}`) });
    added.surveyServices++;
  }
  return added;
}

function withInstance(c: MandateInput['condition'], inst: string): MandateInput['condition'] {
  const out: Record<string, unknown> = { ...c };
  if ('service' in c && c.service !== undefined) out.service = `${inst}/${c.service}`;
  if ('consumers' in c && c.consumers !== undefined) out.consumers = c.consumers.map((x) => `${inst}/${x}`);
  return out as MandateInput['condition'];
}
