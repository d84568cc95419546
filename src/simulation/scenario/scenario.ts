// The 1399 scenario as data: the 56 provider agencies with their 961 services (reference ones and
// generated ones), the consumers and every access right, the group of all subsystems with the open
// country-divisions service. Everything else — loading the registry, serving the agencies, sending
// the traffic — reads this one description, so that what is registered is what is served and what
// is sent. Identifiers carry no instance here (`GOV/NOCR/identity/person`).
import { ALL_SUBSYSTEMS_GROUP, OPEN_SERVICES, REFERENCE_RIGHTS } from '../agencies/access-rights.ts';
import type { Agency, AgencyService } from '../agencies/agency.ts';
import { CONSUMERS, type Consumer } from '../agencies/consumers.ts';
import { demoAgencies } from '../agencies/demo.ts';
import { DEFAULT_SEED } from '../agencies/synthetic.ts';
import { PROVIDERS, QUESTIONS, type Category, type ProviderEntry } from './catalogue.ts';
import { CATEGORY_RIGHTS } from './category-rights.ts';
import { generatedService } from './generated-service.ts';

/** The subsystem that offers an agency's generated services. */
export const GENERATED_SUBSYSTEM = 'inquiries';

export interface ScenarioService {
  /** `GOV/NOCR/identity/person`. */
  readonly id: string;
  /** The provider's member code. */
  readonly provider: string;
  readonly category: Category;
  readonly agency: Agency;
  readonly service: AgencyService;
  readonly reference: boolean;
  /** Relative share of its provider's traffic. */
  readonly weight: number;
}

export interface ScenarioRight {
  /** A consumer subsystem, `CLASS/MEMBER/SUBSYSTEM`. */
  readonly consumer: string;
  /** A service, `CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  readonly service: string;
  readonly legalBasis: string;
}

export interface Scenario {
  readonly providers: readonly ProviderEntry[];
  /** Every provider subsystem; more than one per member for some (the police). */
  readonly agencies: readonly Agency[];
  readonly services: readonly ScenarioService[];
  readonly consumers: readonly Consumer[];
  /** Rights of consumer subsystems to services. */
  readonly rights: readonly ScenarioRight[];
  /** Services open to the group of all subsystems. */
  readonly open: readonly { readonly service: string; readonly legalBasis: string }[];
  readonly group: string;
}

// Within its agency, a reference inquiry carries much more traffic than a generated one (weight 1):
// the person inquiry is most of NOCR's, the address inquiry most of the post's.
const REFERENCE_WEIGHTS: Readonly<Record<string, number>> = {
  'GOV/NOCR/identity/person': 60, 'GOV/NOCR/identity/marital': 8,
  'GOV/POST/address/address': 40, 'GOV/POST/address/legal-address': 8,
  'GOV/CRA/shahkar/shahkar': 50,
  'GOV/MSRT/degrees/degree': 10, 'GOV/MOE/diplomas/diploma': 6,
  'GOV/CBI/sheba/sheba-owner': 10, 'GOV/INTA/taxpayer/accounts': 8,
  'GOV/POLICE/traffic/vehicle': 12, 'GOV/POLICE/traffic/driving-licence': 10, 'GOV/POLICE/amaken/premises': 4,
  'GOV/CONSCRIPTION/military-service/status': 10, 'GOV/JUDICIARY/inheritance/heirs': 6,
  'GOV/MFA/consular/residence-abroad': 4, 'GOV/CII/third-party/policy': 8, 'GOV/SCI/divisions/provinces': 6,
};

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

const idOf = (agency: Agency, service: AgencyService): string =>
  `${agency.memberClass}/${agency.memberCode}/${agency.subsystemCode}/${service.serviceCode}`;

/** The agency serving a provider's generated services, `count` of them: every topic's status first, then its records, … */
function generatedAgency(entry: ProviderEntry, count: number, seed: string | number): Agency {
  const services: AgencyService[] = [];
  for (const q of QUESTIONS) {
    for (const [en, fa, kind] of entry.topics) {
      if (services.length === count) break;
      services.push(generatedService({
        memberCode: entry.memberCode,
        agencyNameEn: entry.nameEn,
        serviceCode: `${slug(en)}-${q.code}`,
        titleEn: q.en(en),
        titleFa: q.fa(fa),
        kind,
      }, seed));
    }
  }
  if (services.length !== count) throw new Error(`scenario catalogue: ${entry.memberCode} has topics for ${services.length} generated services, not ${count}`);
  return {
    memberClass: 'GOV',
    memberCode: entry.memberCode,
    nameEn: `${entry.nameEn} (simulated)`,
    nameFa: `${entry.nameFa} (شبیه‌سازی)`,
    subsystemCode: GENERATED_SUBSYSTEM,
    services,
  };
}

export function buildScenario(seed: string | number = DEFAULT_SEED): Scenario {
  const reference = demoAgencies(seed);
  const byMember = new Map(PROVIDERS.map((p) => [p.memberCode, p]));
  const agencies: Agency[] = [...reference];
  for (const entry of PROVIDERS) {
    const own = reference.filter((a) => a.memberCode === entry.memberCode).reduce((n, a) => n + a.services.length, 0);
    if (entry.services > own) agencies.push(generatedAgency(entry, entry.services - own, seed));
  }

  const services: ScenarioService[] = agencies.flatMap((agency) => {
    const entry = byMember.get(agency.memberCode);
    if (!entry) throw new Error(`scenario catalogue: no provider entry for ${agency.memberCode}`);
    return agency.services.map((service) => {
      const id = idOf(agency, service);
      const isReference = agency.subsystemCode !== GENERATED_SUBSYSTEM;
      return { id, provider: agency.memberCode, category: entry.category, agency, service, reference: isReference, weight: REFERENCE_WEIGHTS[id] ?? 1 };
    });
  });

  const generatedRights: ScenarioRight[] = services.filter((s) => !s.reference).flatMap((s) =>
    CATEGORY_RIGHTS.filter((r) => r.categories.includes(s.category)).map((r) => ({ consumer: r.consumer, service: s.id, legalBasis: r.legalBasis })));

  return {
    providers: PROVIDERS,
    agencies,
    services,
    consumers: CONSUMERS,
    rights: [...REFERENCE_RIGHTS.map((r) => ({ consumer: r.consumer, service: r.service, legalBasis: r.legalBasis })), ...generatedRights],
    open: OPEN_SERVICES,
    group: ALL_SUBSYSTEMS_GROUP,
  };
}
