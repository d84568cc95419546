// The consumers of the reference exchange: the organisations whose information systems ask the
// agencies, each with one client subsystem. The judiciary and the police carry most of Iran's
// inquiries; banks are on the public bus as COM members; a tax office, a university, an insurer and
// the social security organisation stand for the rest. Their access rights are in access-rights.ts.
//
// Identifiers here carry no instance (`GOV/JUDICIARY/case-management`): the registry it is written
// into adds its own (`IR/…`).

export interface Consumer {
  readonly memberClass: 'GOV' | 'COM';
  readonly memberCode: string;
  readonly nameEn: string;
  readonly nameFa: string;
  readonly subsystemCode: string;
  /** What the subsystem does, for the registry's subsystem name. */
  readonly purpose: string;
}

export const CONSUMERS: readonly Consumer[] = [
  { memberClass: 'GOV', memberCode: 'JUDICIARY', nameEn: 'Judiciary', nameFa: 'قوه قضاییه', subsystemCode: 'case-management', purpose: 'Court case management' },
  { memberClass: 'GOV', memberCode: 'POLICE', nameEn: 'Police (FARAJA)', nameFa: 'فرماندهی انتظامی', subsystemCode: 'licensing', purpose: 'Police licensing and checks' },
  { memberClass: 'COM', memberCode: 'SAMAN', nameEn: 'Saman Bank', nameFa: 'بانک سامان', subsystemCode: 'kyc', purpose: 'Know-your-customer checks' },
  { memberClass: 'COM', memberCode: 'PASARGAD', nameEn: 'Pasargad Bank', nameFa: 'بانک پاسارگاد', subsystemCode: 'kyc', purpose: 'Know-your-customer checks' },
  { memberClass: 'GOV', memberCode: 'INTA', nameEn: 'Iranian National Tax Administration', nameFa: 'سازمان امور مالیاتی کشور', subsystemCode: 'audit', purpose: 'Tax audit' },
  { memberClass: 'GOV', memberCode: 'UT', nameEn: 'University of Tehran', nameFa: 'دانشگاه تهران', subsystemCode: 'admissions', purpose: 'Student admissions' },
  { memberClass: 'COM', memberCode: 'IRAN-INSURANCE', nameEn: 'Iran Insurance Company', nameFa: 'شرکت سهامی بیمه ایران', subsystemCode: 'underwriting', purpose: 'Motor underwriting and claims' },
  { memberClass: 'GOV', memberCode: 'SSO', nameEn: 'Social Security Organization', nameFa: 'سازمان تأمین اجتماعی', subsystemCode: 'benefits', purpose: 'Pensions and benefits' },
];

/** `GOV/JUDICIARY/case-management`: a consumer's subsystem without the instance. */
export const consumerPath = (c: Consumer): string => `${c.memberClass}/${c.memberCode}/${c.subsystemCode}`;

export const JUDICIARY = 'GOV/JUDICIARY/case-management';
export const POLICE = 'GOV/POLICE/licensing';
