// SYNTHETIC marriages and children, consistent with the citizen model (synthetic.ts): NOCR's marital
// record and the judiciary's list of legal heirs are both read from here, so they always agree, and
// every relative is a citizen whom NOCR answers for with the same name.
//
// Marriages must be symmetric (if A's spouse is B, B's spouse is A) without any stored state. The
// nine free digits of national codes are paired by reflections x ↦ (c − x) mod 10⁹, which are
// their own inverse; a person is matched through the first reflection that gives a plausible
// couple (opposite sex, at most 15 years apart, accepted by the couple's own random draw), unless
// either of the two was already matched through an earlier one. Three reflections marry about a
// third of the population.
//
// A couple's children are citizens found by search: codes drawn from the couple's stream until one
// carries the husband's last name, his first name as father's name, and a birth year within the
// marriage. The population has no minors (everyone is born 1310–1384), so couples married late
// have no children; the search is bounded and is only run for heirs, not for marital status.
import { nationalCodeCheckDigit, isNationalCode } from '../../identifiers/iran.ts';
import { digits, int, pick, randomJalaliDate, rngFor, type Rng } from './random.ts';
import { DEFAULT_SEED, personOf, type Person } from './synthetic.ts';

// Arbitrary constants; the first was chosen so that the demo citizen is married (the guide shows it).
const REFLECTIONS = [271_828_182, 123_456_789, 987_654_321] as const;
const MAX_AGE_GAP = 15;
const LAST_BIRTH_YEAR = 1384;
const LAST_EVENT_YEAR = 1402;
const CHILD_SEARCH_LIMIT = 20_000;

type Seed = string | number;

const yearOf = (p: Person): number => Number(p.birthDate.slice(0, 4));

function reflect(code: string, c: number): string | undefined {
  const nine = String((c - Number(code.slice(0, 9)) + 1e9) % 1e9).padStart(9, '0');
  const partner = nine + nationalCodeCheckDigit(nine);
  return partner !== code && isNationalCode(partner) ? partner : undefined;
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}+${b}` : `${b}+${a}`);

/** Whether a and b would make a couple, ignoring whether either is already married. */
function plausibleCouple(a: string, b: string, seed: Seed): boolean {
  const pa = personOf(a, seed);
  const pb = personOf(b, seed);
  if (pa.gender === pb.gender || Math.abs(yearOf(pa) - yearOf(pb)) > MAX_AGE_GAP) return false;
  return rngFor(seed, 'couple', pairKey(a, b))() < 0.9;
}

/** The partner of `code` through reflection k, given the memo of earlier answers. */
function matchedBefore(code: string, k: number, seed: Seed, memo: Map<string, string | null>): string | undefined {
  // Whether `code` is matched through any reflection before k; memoised per (code, k).
  for (let j = 0; j < k; j++) {
    const partner = partnerThrough(code, j, seed, memo);
    if (partner !== undefined) return partner;
  }
  return undefined;
}

function partnerThrough(code: string, k: number, seed: Seed, memo: Map<string, string | null>): string | undefined {
  const key = `${code}#${k}`;
  const known = memo.get(key);
  if (known !== undefined) return known ?? undefined;
  const c = REFLECTIONS[k] as number;
  const other = reflect(code, c);
  const partner = other !== undefined && plausibleCouple(code, other, seed) &&
    matchedBefore(code, k, seed, memo) === undefined && matchedBefore(other, k, seed, memo) === undefined
    ? other : undefined;
  memo.set(key, partner ?? null);
  return partner;
}

export interface Marriage {
  readonly husband: Person;
  readonly wife: Person;
  /** Jalali YYYY/MM/DD. */
  readonly marriedOn: string;
  readonly divorcedOn?: string;
}

/** The marriage `nationalCode` is or was part of, or undefined for a person never married. */
export function marriageOf(nationalCode: string, seed: Seed = DEFAULT_SEED): Marriage | undefined {
  const memo = new Map<string, string | null>();
  const partner = matchedBefore(nationalCode, REFLECTIONS.length, seed, memo);
  if (partner === undefined) return undefined;
  const a = personOf(nationalCode, seed);
  const b = personOf(partner, seed);
  const [husband, wife] = a.gender === 'male' ? [a, b] : [b, a];
  const rng = rngFor(seed, 'marriage', pairKey(a.nationalCode, b.nationalCode));
  const year = Math.min(Math.max(yearOf(a), yearOf(b)) + int(rng, 18, 30), LAST_EVENT_YEAR);
  const marriedOn = randomJalaliDate(rng, year, year);
  const divorced = rng() < 0.15 && year < LAST_EVENT_YEAR;
  return {
    husband,
    wife,
    marriedOn,
    ...(divorced ? { divorcedOn: randomJalaliDate(rng, year + 1, Math.min(year + 15, LAST_EVENT_YEAR)) } : {}),
  };
}

export type MaritalStatus = 'single' | 'married' | 'divorced' | 'widowed';

export interface MaritalRecord {
  readonly status: MaritalStatus;
  readonly spouse?: Person;
  readonly marriedOn?: string;
  readonly divorcedOn?: string;
}

/** What NOCR records of a person's marriage: a widow(er) is one whose spouse has a death record. */
export function maritalRecordOf(nationalCode: string, seed: Seed = DEFAULT_SEED): MaritalRecord {
  const m = marriageOf(nationalCode, seed);
  if (!m) return { status: 'single' };
  const spouse = m.husband.nationalCode === nationalCode ? m.wife : m.husband;
  const self = m.husband.nationalCode === nationalCode ? m.husband : m.wife;
  const status: MaritalStatus = m.divorcedOn ? 'divorced' : self.alive && !spouse.alive ? 'widowed' : 'married';
  return { status, spouse, marriedOn: m.marriedOn, ...(m.divorcedOn ? { divorcedOn: m.divorcedOn } : {}) };
}

/** The children of a marriage, in birth order of the search (see the header). */
export function childrenOf(m: Marriage, seed: Seed = DEFAULT_SEED): Person[] {
  const key = pairKey(m.husband.nationalCode, m.wife.nationalCode);
  const rng = rngFor(seed, 'children', key);
  const count = pick(rng, [0, 1, 1, 2, 2, 2, 3, 3, 4]);
  const from = Number(m.marriedOn.slice(0, 4));
  const until = Math.min(m.divorcedOn ? Number(m.divorcedOn.slice(0, 4)) : LAST_BIRTH_YEAR, yearOf(m.wife) + 45, LAST_BIRTH_YEAR);
  const children: Person[] = [];
  if (count === 0 || from > until) return children;
  const search: Rng = rngFor(seed, 'child-search', key);
  for (let tries = 0; tries < CHILD_SEARCH_LIMIT && children.length < count; tries++) {
    const nine = digits(search, 9);
    const code = nine + nationalCodeCheckDigit(nine);
    const p = personOf(code, seed);
    if (p.lastName !== m.husband.lastName || p.fatherName !== m.husband.firstName) continue;
    const year = yearOf(p);
    if (year < from || year > until || !isNationalCode(code)) continue;
    if (code === m.husband.nationalCode || code === m.wife.nationalCode || children.some((c) => c.nationalCode === code)) continue;
    children.push(p);
  }
  return children;
}

export interface Heir {
  readonly person: Person;
  readonly relation: 'spouse' | 'child';
}

/**
 * The legal heirs of a person with a death record, as far as this register knows them: the spouse
 * of a marriage not ended by divorce, and the children, when they are alive. (Parents and heirs of
 * the second and third classes are not modelled.) Undefined when the person has no death record.
 */
export function legalHeirsOf(nationalCode: string, seed: Seed = DEFAULT_SEED): Heir[] | undefined {
  if (personOf(nationalCode, seed).alive) return undefined;
  const m = marriageOf(nationalCode, seed);
  if (!m) return [];
  const heirs: Heir[] = [];
  const spouse = m.husband.nationalCode === nationalCode ? m.wife : m.husband;
  if (!m.divorcedOn && spouse.alive) heirs.push({ person: spouse, relation: 'spouse' });
  for (const child of childrenOf(m, seed)) if (child.alive) heirs.push({ person: child, relation: 'child' });
  return heirs;
}
