// Who may ask the scenario's generated services: each consumer is granted every generated service
// in the categories its law covers, under that law. (The reference services keep the finer rights
// of ../agencies/access-rights.ts.) The police are not granted the "address" category, so the
// demo's refusal — the police may not read the post's addresses — holds in the scenario too.
import { JUDICIARY, POLICE } from '../agencies/consumers.ts';
import type { Category } from './catalogue.ts';

export interface CategoryRight {
  /** A consumer subsystem, `CLASS/MEMBER/SUBSYSTEM`. */
  readonly consumer: string;
  readonly categories: readonly Category[];
  readonly legalBasis: string;
}

const KYC_CATEGORIES: readonly Category[] = ['identity', 'telecom', 'finance', 'tax', 'property', 'business'];
const KYC = 'Anti-Money Laundering Law (1397 amendment): customer due diligence (scenario)';

export const CATEGORY_RIGHTS: readonly CategoryRight[] = [
  {
    consumer: JUDICIARY,
    categories: [
      'identity', 'address', 'telecom', 'education', 'finance', 'tax', 'vehicle', 'military', 'judicial', 'travel', 'insurance',
      'property', 'welfare', 'health', 'business', 'customs', 'transport', 'utilities', 'agriculture', 'environment', 'culture',
      'civil', 'government',
    ],
    legalBasis: 'Code of Criminal Procedure 1392 and Civil Procedure Code: courts\' inquiries to public registers (scenario)',
  },
  {
    consumer: POLICE,
    categories: ['identity', 'telecom', 'vehicle', 'military', 'travel', 'transport', 'business', 'insurance', 'civil'],
    legalBasis: 'Law on the Duties of the Police (FARAJA) 1369: licensing and public-order checks (scenario)',
  },
  { consumer: 'COM/SAMAN/kyc', categories: KYC_CATEGORIES, legalBasis: KYC },
  { consumer: 'COM/PASARGAD/kyc', categories: KYC_CATEGORIES, legalBasis: KYC },
  {
    consumer: 'GOV/INTA/audit',
    categories: ['identity', 'finance', 'tax', 'business', 'property', 'customs', 'utilities', 'vehicle'],
    legalBasis: 'Direct Taxation Act, art. 169 bis: the tax administration\'s access to information (scenario)',
  },
  {
    consumer: 'GOV/UT/admissions',
    categories: ['identity', 'education', 'military', 'welfare'],
    legalBasis: 'Higher education admission regulations: applicants\' records and quotas (scenario)',
  },
  {
    consumer: 'COM/IRAN-INSURANCE/underwriting',
    categories: ['identity', 'vehicle', 'insurance', 'health', 'transport'],
    legalBasis: 'Compulsory Third-Party Insurance Act 1395 and insurance regulations: underwriting and claims (scenario)',
  },
  {
    consumer: 'GOV/SSO/benefits',
    categories: ['identity', 'welfare', 'health', 'business', 'education'],
    legalBasis: 'Social Security Act 1354: entitlement to benefits and employers\' obligations (scenario)',
  },
];
