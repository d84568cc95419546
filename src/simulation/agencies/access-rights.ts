// Who may ask which reference agency, and under which law. Rights are deny-by-default in the
// exchange, so this list is the whole of what the consumers (consumers.ts) may do with the reference
// services; each names its legal basis as the registry records it. The laws are real Iranian laws
// cited by name; the pairing of each with an inquiry is this demonstration's, not a legal opinion.
//
// The police may NOT ask the post for an address: that is the demo's refusal, and it must stay.
// Paths carry no instance (`GOV/NOCR/identity/person`); the registry adds its own.
import { JUDICIARY, POLICE } from './consumers.ts';

export interface ReferenceRight {
  /** A consumer subsystem, `CLASS/MEMBER/SUBSYSTEM`. */
  readonly consumer: string;
  /** A service, `CLASS/MEMBER/SUBSYSTEM/SERVICE`. */
  readonly service: string;
  readonly legalBasis: string;
}

const SAMAN = 'COM/SAMAN/kyc';
const PASARGAD = 'COM/PASARGAD/kyc';
const TAX = 'GOV/INTA/audit';
const UNIVERSITY = 'GOV/UT/admissions';
const INSURER = 'COM/IRAN-INSURANCE/underwriting';
const SSO = 'GOV/SSO/benefits';

const PERSON = 'GOV/NOCR/identity/person';
const MARITAL = 'GOV/NOCR/identity/marital';
const ADDRESS = 'GOV/POST/address/address';
const LEGAL_ADDRESS = 'GOV/POST/address/legal-address';
const SHAHKAR = 'GOV/CRA/shahkar/shahkar';
const DEGREE = 'GOV/MSRT/degrees/degree';
const DIPLOMA = 'GOV/MOE/diplomas/diploma';
const SHEBA = 'GOV/CBI/sheba/sheba-owner';
const TAX_ACCOUNTS = 'GOV/INTA/taxpayer/accounts';
const VEHICLE = 'GOV/POLICE/traffic/vehicle';
const LICENCE = 'GOV/POLICE/traffic/driving-licence';
const PREMISES = 'GOV/POLICE/amaken/premises';
const CONSCRIPTION = 'GOV/CONSCRIPTION/military-service/status';
const HEIRS = 'GOV/JUDICIARY/inheritance/heirs';
const ABROAD = 'GOV/MFA/consular/residence-abroad';
const THIRD_PARTY = 'GOV/CII/third-party/policy';

/** Open to every subsystem through the group of all subsystems: the country divisions register. */
export const OPEN_SERVICES: readonly { service: string; legalBasis: string }[] = [
  { service: 'GOV/SCI/divisions/provinces', legalBasis: 'Statistical Centre of Iran Act: country divisions are public reference data (demo)' },
];

export const ALL_SUBSYSTEMS_GROUP = 'all-subsystems';

const KYC = 'Anti-Money Laundering Law (1397 amendment): customer due diligence (demo)';

export const REFERENCE_RIGHTS: readonly ReferenceRight[] = [
  { consumer: JUDICIARY, service: PERSON, legalBasis: 'Law on the Judiciary\'s access to registers, art. 3 (demo)' },
  { consumer: JUDICIARY, service: MARITAL, legalBasis: 'Family Protection Law 1391: family courts verify marriage and divorce (demo)' },
  { consumer: JUDICIARY, service: ADDRESS, legalBasis: 'Civil Procedure Code, art. 68: serving notices at the residence address (demo)' },
  { consumer: JUDICIARY, service: LEGAL_ADDRESS, legalBasis: 'Civil Procedure Code: serving notices on legal persons at their registered seat (demo)' },
  { consumer: JUDICIARY, service: SHAHKAR, legalBasis: 'Computer Crimes Law, art. 32 (demo)' },
  { consumer: JUDICIARY, service: SHEBA, legalBasis: 'Law on the Enforcement of Financial Judgments 1394: tracing a debtor\'s accounts (demo)' },
  { consumer: JUDICIARY, service: TAX_ACCOUNTS, legalBasis: 'Law on the Enforcement of Financial Judgments 1394: tracing a debtor\'s accounts (demo)' },
  { consumer: JUDICIARY, service: VEHICLE, legalBasis: 'Law on the Enforcement of Financial Judgments 1394: identifying a debtor\'s vehicles (demo)' },
  { consumer: JUDICIARY, service: HEIRS, legalBasis: 'Non-Contentious Matters Act: certificates of inheritance (demo)' },
  { consumer: JUDICIARY, service: ABROAD, legalBasis: 'Civil Procedure Code: serving notices on persons residing abroad (demo)' },
  { consumer: JUDICIARY, service: THIRD_PARTY, legalBasis: 'Compulsory Third-Party Insurance Act 1395: traffic accident cases (demo)' },
  { consumer: JUDICIARY, service: CONSCRIPTION, legalBasis: 'General Conscription Law: cases of absent conscripts (demo)' },
  { consumer: JUDICIARY, service: DEGREE, legalBasis: 'Islamic Penal Code, forgery offences: verifying degrees produced in court (demo)' },

  { consumer: POLICE, service: PERSON, legalBasis: 'Driving licence regulations, identity check (demo)' },
  { consumer: POLICE, service: SHAHKAR, legalBasis: 'Driving licence regulations, contact verification (demo)' },
  { consumer: POLICE, service: LICENCE, legalBasis: 'Road Traffic Offences Law 1389: licence checks (demo)' },
  { consumer: POLICE, service: VEHICLE, legalBasis: 'Road Traffic Offences Law 1389: plate and scrapping checks (demo)' },
  { consumer: POLICE, service: THIRD_PARTY, legalBasis: 'Compulsory Third-Party Insurance Act 1395: no traffic without cover (demo)' },
  { consumer: POLICE, service: CONSCRIPTION, legalBasis: 'General Conscription Law, art. 10: licences require a settled military status (demo)' },
  { consumer: POLICE, service: PREMISES, legalBasis: 'Trade Guilds Law, art. 12: police approval of premises before a trade licence (demo)' },

  { consumer: SAMAN, service: PERSON, legalBasis: KYC },
  { consumer: SAMAN, service: SHAHKAR, legalBasis: KYC },
  { consumer: SAMAN, service: ADDRESS, legalBasis: KYC },
  { consumer: SAMAN, service: LEGAL_ADDRESS, legalBasis: KYC },
  { consumer: SAMAN, service: SHEBA, legalBasis: 'Central Bank interbank transfer rules: verifying the beneficiary (demo)' },
  { consumer: PASARGAD, service: PERSON, legalBasis: KYC },
  { consumer: PASARGAD, service: SHAHKAR, legalBasis: KYC },
  { consumer: PASARGAD, service: ADDRESS, legalBasis: KYC },
  { consumer: PASARGAD, service: SHEBA, legalBasis: 'Central Bank interbank transfer rules: verifying the beneficiary (demo)' },

  { consumer: TAX, service: PERSON, legalBasis: 'Direct Taxation Act, art. 169 bis: the tax administration\'s access to information (demo)' },
  { consumer: TAX, service: TAX_ACCOUNTS, legalBasis: 'Direct Taxation Act, art. 169 bis: auditors read the taxpayer file (demo)' },
  { consumer: TAX, service: SHEBA, legalBasis: 'Direct Taxation Act, art. 169 bis: the tax administration\'s access to information (demo)' },
  { consumer: TAX, service: LEGAL_ADDRESS, legalBasis: 'Direct Taxation Act, art. 169 bis: the tax administration\'s access to information (demo)' },
  { consumer: TAX, service: ADDRESS, legalBasis: 'Direct Taxation Act, art. 169 bis: the tax administration\'s access to information (demo)' },
  { consumer: TAX, service: VEHICLE, legalBasis: 'Direct Taxation Act, art. 169 bis: identifying taxable assets (demo)' },

  { consumer: UNIVERSITY, service: PERSON, legalBasis: 'Higher education admission regulations: identity of applicants (demo)' },
  { consumer: UNIVERSITY, service: DEGREE, legalBasis: 'Higher education admission regulations: prior degrees of applicants (demo)' },
  { consumer: UNIVERSITY, service: DIPLOMA, legalBasis: 'Higher education admission regulations: diploma of applicants (demo)' },
  { consumer: UNIVERSITY, service: CONSCRIPTION, legalBasis: 'General Conscription Law: military status of male students (demo)' },

  { consumer: INSURER, service: PERSON, legalBasis: 'Compulsory Third-Party Insurance Act 1395: identity of the policyholder (demo)' },
  { consumer: INSURER, service: VEHICLE, legalBasis: 'Compulsory Third-Party Insurance Act 1395: the insured vehicle (demo)' },
  { consumer: INSURER, service: THIRD_PARTY, legalBasis: 'Compulsory Third-Party Insurance Act 1395: previous cover and no-claims record (demo)' },
  { consumer: INSURER, service: LICENCE, legalBasis: 'Compulsory Third-Party Insurance Act 1395: the driver\'s licence in claims (demo)' },

  { consumer: SSO, service: PERSON, legalBasis: 'Social Security Act 1354: identity of the insured (demo)' },
  { consumer: SSO, service: MARITAL, legalBasis: 'Social Security Act 1354, art. 81: survivors\' pensions depend on marital status (demo)' },
  { consumer: SSO, service: ADDRESS, legalBasis: 'Social Security Act 1354: correspondence with the insured (demo)' },
  { consumer: SSO, service: SHEBA, legalBasis: 'Social Security Act 1354: paying pensions into the pensioner\'s own account (demo)' },
  { consumer: SSO, service: HEIRS, legalBasis: 'Social Security Act 1354, art. 81: survivors entitled to a pension (demo)' },
];
