// The country, simulated: the 1399 scenario's traffic spread over the 31 provinces, and the share of
// it the central node carries with and without provincial nodes. Pure arithmetic over the report's
// shares (mix.ts): no draws, no randomness, the same answer for the same assumptions.
//
// Every agency is either NATIONAL — its subsystems homed on the central node (the national
// registers: NOCR, CRA, CBI, …) — or PROVINCIAL — an office homed on every province's node (the
// courts, the police commands, the post, the deeds offices, …). Inquiries arise in each province in
// proportion to a spread (the 1395 census population by default, or equal shares). Then, for the
// report's consumer × provider distribution:
//
// - an exchange with a national agency at either end touches the centre; when the other end is
//   provincial, its office is the one of the province the inquiry arises in;
// - between a provincial consumer and a provincial provider, `localShare` of the inquiries stay in
//   the consumer's province (its node alone carries them); the rest go straight to the provider's
//   office in another province, chosen in proportion to the spread among the other provinces, from
//   node to node without the centre (issue 10's routing).
//
// Without provincial nodes the central node is the only node: it carries everything.
import Table from 'cli-table3';
import { PROVINCES } from '../../divisions/provinces.ts';
import { Errors, fail } from '../../errors/catalogue.ts';
import { HISTORY_YEARS } from './history-plan.ts';
import { splitTotal } from './history-rounding.ts';
import type { Category } from './catalogue.ts';
import { buildMix, REPORT_1399, type Mix } from './mix.ts';
import type { Scenario } from './scenario.ts';

/**
 * Population of each province at the 1395 census (Statistical Centre of Iran, National Population
 * and Housing Census 1395), rounded to thousands; the country counted 79,926,270.
 */
export const CENSUS_1395: Readonly<Record<string, number>> = {
  '00': 1_429_000, '01': 2_531_000, '02': 3_284_000, '03': 3_910_000, '04': 3_265_000, '05': 1_952_000,
  '06': 4_711_000, '07': 4_851_000, '08': 3_165_000, '09': 6_435_000, '10': 5_121_000, '11': 2_775_000,
  '12': 1_603_000, '13': 1_738_000, '14': 948_000, '15': 1_761_000, '16': 580_000, '17': 713_000,
  '18': 1_163_000, '19': 1_057_000, '20': 702_000, '21': 1_139_000, '22': 1_776_000, '23': 13_268_000,
  '24': 1_270_000, '25': 1_292_000, '26': 1_274_000, '27': 1_869_000, '28': 863_000, '29': 769_000,
  '30': 2_712_000,
};

export type Spread = 'population' | 'equal';

const SPREAD_SOURCE: Readonly<Record<Spread, string>> = {
  population: 'in proportion to each province\'s population (Statistical Centre of Iran, 1395 census, rounded to thousands)',
  equal: 'in equal shares, 1/31 to each province',
};

export interface CountryOptions {
  /** Inquiries of the year (the 1399 report: 1.3 billion). */
  readonly inquiries: number;
  readonly spread: Spread;
  /** Categories (catalogue.ts) or member codes of the agencies with an office on every province's node. */
  readonly provincial: readonly string[];
  /** Member codes or categories homed at the centre even when `provincial` names their category. */
  readonly national: readonly string[];
  /** Of inquiries between a provincial consumer and a provincial provider, the share that stays in the province. */
  readonly localShare: number;
  /** How many provinces the answer lists, busiest first. */
  readonly top: number;
}

export const COUNTRY_DEFAULTS: CountryOptions = {
  inquiries: HISTORY_YEARS.find((y) => y.year === 1399)!.inquiries,
  spread: 'population',
  // Courts (judicial), police commands (the police's category is vehicle), the post (address), the
  // deeds offices and urban development departments (property) and the power, gas and water
  // distribution companies (utilities) keep an office in every province.
  provincial: ['judicial', 'vehicle', 'address', 'property', 'utilities'],
  // A single-site agency in a provincial category: homed at the centre here.
  national: ['TEHRAN-MUNICIPALITY'],
  localShare: 0.6,
  top: 5,
};

/** Inquiries and their share of the year's. */
export interface Part { readonly inquiries: number; readonly share: number }

export interface Flows {
  /** Exchanges with the central node at one end (a consumer or a provider homed there). */
  readonly centre: Part;
  /** Exchanges between two offices of one province: that province's node alone carries them. */
  readonly withinProvince: Part;
  /** Exchanges from one province's node straight to another's, not through the centre. */
  readonly acrossProvinces: Part;
}

export interface ProvinceLoad {
  readonly code: string;
  readonly nameEn: string;
  readonly nameFa: string;
  /** The province's share of the inquiries that arise (the spread). */
  readonly spreadShare: number;
  /** Exchanges its node carries: the three below. A cross-province exchange counts on both nodes. */
  readonly inquiries: number;
  readonly share: number;
  readonly withinProvince: number;
  readonly withCentre: number;
  readonly acrossProvinces: number;
}

export interface CountryAnswer {
  readonly assumptions: {
    readonly inquiries: number;
    readonly mix: { readonly providers: Readonly<Record<string, number>>; readonly consumers: Readonly<Record<string, number>> };
    readonly spread: Spread;
    readonly spreadSource: string;
    readonly provincial: readonly string[];
    readonly national: readonly string[];
    readonly localShare: number;
    /** The agencies the assumptions make provincial, by member code; every other one is national. */
    readonly provincialAgencies: { readonly providers: readonly string[]; readonly consumers: readonly string[] };
    readonly nationalProviders: readonly string[];
  };
  readonly withoutProvincialNodes: Flows;
  readonly withProvincialNodes: Flows;
  /** The busiest `top` provinces by the exchanges their nodes carry. */
  readonly provinces: readonly ProvinceLoad[];
}

const memberOf = (subsystem: string): string => subsystem.split('/')[1] ?? subsystem;

/** Splits a comma list of categories or member codes, checking each; `none` or nothing is the empty list. */
export function parseAgencyList(option: string, value: string, scenario: Scenario): string[] {
  const categories = new Set<string>(scenario.providers.map((p) => p.category));
  const members = new Set<string>([...scenario.providers.map((p) => p.memberCode), ...scenario.consumers.map((c) => c.memberCode)]);
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '' && s.toLowerCase() !== 'none');
  return items.map((item) => {
    if (categories.has(item.toLowerCase())) return item.toLowerCase();
    if (members.has(item.toUpperCase())) return item.toUpperCase();
    return fail(Errors.InvalidInput, `${option}: ${JSON.stringify(item)} is neither a category of the catalogue (${[...categories].sort().join(', ')}) nor a member code of the scenario`);
  });
}

function checkOptions(o: CountryOptions): void {
  if (!Number.isInteger(o.inquiries) || o.inquiries < 1) fail(Errors.InvalidInput, `--inquiries must be a positive integer, got ${o.inquiries}`);
  if (!(o.localShare >= 0 && o.localShare <= 1)) fail(Errors.InvalidInput, `--local-share must be between 0 and 1, got ${o.localShare}`);
  if (o.spread !== 'population' && o.spread !== 'equal') fail(Errors.InvalidInput, `--spread must be population or equal, got ${JSON.stringify(o.spread)}`);
  if (!Number.isInteger(o.top) || o.top < 0) fail(Errors.InvalidInput, `--top must be a whole number, got ${o.top}`);
}

const part = (inquiries: number, total: number): Part => ({ inquiries, share: inquiries / total });

/** The country's traffic under the assumptions `o` (see the header). */
export function simulateCountry(scenario: Scenario, o: CountryOptions = COUNTRY_DEFAULTS, mix: Mix = buildMix(scenario)): CountryAnswer {
  checkOptions(o);
  const provincial = parseAgencyList('--provincial', o.provincial.join(','), scenario);
  const national = parseAgencyList('--national', o.national.join(','), scenario);
  const provincialSet = new Set(provincial);
  const nationalSet = new Set(national);
  const categoryOf = new Map<string, Category>(scenario.providers.map((p) => [p.memberCode, p.category]));
  // A member code names the agency itself, so it overrides its category; `national` overrides `provincial`.
  const isProvincial = (member: string): boolean => {
    const category = categoryOf.get(member);
    if (nationalSet.has(member)) return false;
    if (provincialSet.has(member)) return true;
    if (category !== undefined && nationalSet.has(category)) return false;
    return category !== undefined && provincialSet.has(category);
  };

  const weights = PROVINCES.map((p) => (o.spread === 'equal' ? 1 : CENSUS_1395[p.code] ?? 0));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const w = weights.map((x) => x / weightSum);

  // Mass of the year's traffic (fractions of 1) per flow, and per province node.
  let centre = 0;
  let within = 0;
  let across = 0;
  const n = PROVINCES.length;
  const pWithin = new Array<number>(n).fill(0);
  const pCentre = new Array<number>(n).fill(0);
  const pAcross = new Array<number>(n).fill(0);
  // The share of cross-province traffic that arrives in each province, for a unit leaving in proportion to w:
  // Σ_{p≠q} w_p · w_q / (1 − w_p).
  const arriving = w.map((wq, q) => w.reduce((a, wp, p) => (p === q || wp >= 1 ? a : a + (wp * wq) / (1 - wp)), 0));

  for (const cell of mix.cells) {
    const m = cell.probability;
    const consumerLocal = isProvincial(memberOf(cell.consumer));
    const providerLocal = isProvincial(cell.provider);
    if (!consumerLocal || !providerLocal) {
      centre += m;
      // A provincial end is the office of the province the inquiry arises in.
      if (consumerLocal || providerLocal) w.forEach((wp, p) => { pCentre[p]! += m * wp; });
      continue;
    }
    within += m * o.localShare;
    across += m * (1 - o.localShare);
    w.forEach((wp, p) => {
      pWithin[p]! += m * o.localShare * wp;
      pAcross[p]! += m * (1 - o.localShare) * (wp + arriving[p]!);
    });
  }

  // Whole inquiries that add up to the year's exactly (cumulative rounding, history-rounding.ts).
  const counts = [0, 0, 0];
  splitTotal(o.inquiries, [centre, within, across], 0.5, counts);
  const [cCentre, cWithin, cAcross] = counts as [number, number, number];
  const total = o.inquiries;
  const masses = centre + within + across;
  const count = (mass: number) => Math.round((mass / masses) * total);

  const provinces: ProvinceLoad[] = PROVINCES.map((p, i) => {
    const withinProvince = count(pWithin[i]!);
    const withCentre = count(pCentre[i]!);
    const acrossProvinces = count(pAcross[i]!);
    const inquiries = withinProvince + withCentre + acrossProvinces;
    return { code: p.code, nameEn: p.nameEn, nameFa: p.nameFa, spreadShare: w[i]!, inquiries, share: inquiries / total, withinProvince, withCentre, acrossProvinces };
  });
  // Busiest first; the code breaks ties, so equal shares list in the register's order.
  provinces.sort((a, b) => b.inquiries - a.inquiries || a.code.localeCompare(b.code));

  const providers = scenario.providers.map((p) => p.memberCode);
  const consumers = [...new Set(mix.cells.map((c) => c.consumer))];
  return {
    assumptions: {
      inquiries: total,
      mix: { providers: REPORT_1399.providers, consumers: REPORT_1399.consumers },
      spread: o.spread,
      spreadSource: SPREAD_SOURCE[o.spread],
      provincial,
      national,
      localShare: o.localShare,
      provincialAgencies: {
        providers: providers.filter(isProvincial),
        consumers: consumers.filter((c) => isProvincial(memberOf(c))),
      },
      nationalProviders: providers.filter((p) => !isProvincial(p)),
    },
    withoutProvincialNodes: { centre: part(total, total), withinProvince: part(0, total), acrossProvinces: part(0, total) },
    withProvincialNodes: { centre: part(cCentre, total), withinProvince: part(cWithin, total), acrossProvinces: part(cAcross, total) },
    provinces: provinces.slice(0, o.top),
  };
}

const fmt = (n: number) => n.toLocaleString('en-US');
export const percent = (r: number) => `${(r * 100).toFixed(1)} %`;
const list = (xs: readonly string[]) => (xs.length === 0 ? 'none' : xs.join(', '));

/** `text` broken at spaces into lines of at most `width`, its own indentation kept, the later lines indented by `indent`. */
function wrap(text: string, indent: string, width = 110): string {
  const lead = /^ */.exec(text)?.[0] ?? '';
  const lines: string[] = [];
  let line = lead;
  for (const word of text.slice(lead.length).split(' ')) {
    if (line.trim() !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line.trim() === '' ? line + word : `${line} ${word}`;
  }
  return [...lines, line].join('\n');
}

/** The answer as a person reads it in a terminal: the assumptions, then the two tables. */
export function countryText(a: CountryAnswer): string {
  const s = a.assumptions;
  const mix = (r: Readonly<Record<string, number>>) => Object.entries(r).slice(0, 3).map(([k, v]) => `${memberOf(k)} ${percent(v)}`).join(', ');
  const indent = '      ';
  const assumptions = [
    'Assumptions (each an option):',
    `  --inquiries ${s.inquiries}: ${fmt(s.inquiries)} inquiries, the 1399 report's year, in its mix (providers ${mix(s.mix.providers)}, …; consumers ${mix(s.mix.consumers)}, …)`,
    `  --spread ${s.spread}: inquiries arise in the provinces ${s.spreadSource}`,
    `  --provincial ${s.provincial.join(',') || 'none'}: agencies with an office on every province's node —`,
    `${indent}providers: ${list(s.provincialAgencies.providers)}`,
    `${indent}consumers: ${list(s.provincialAgencies.consumers)}`,
    `  --national ${s.national.join(',') || 'none'}: homed at the centre whatever their category. Every agency not provincial is national, homed at the centre: providers ${list(s.nationalProviders)} and the other consumers`,
    `  --local-share ${s.localShare}: of inquiries between a provincial consumer and a provincial provider, the share that stays in the consumer's province; the rest go straight to another province's office, chosen by the same spread. A provincial end of an exchange with the centre is the office of the province the inquiry arises in.`,
  ].map((l) => wrap(l, indent)).join('\n');

  const style = { head: [], border: [] };
  const flows = new Table({ head: ['exchanges', 'without provincial nodes', '', 'with provincial nodes', ''], colAligns: ['left', 'right', 'right', 'right', 'right'], style });
  const row = (label: string, key: keyof Flows) => {
    const x = a.withoutProvincialNodes[key];
    const y = a.withProvincialNodes[key];
    flows.push([label, fmt(x.inquiries), percent(x.share), fmt(y.inquiries), percent(y.share)]);
  };
  row('carried by the centre', 'centre');
  row('stay within one province', 'withinProvince');
  row('cross provinces directly', 'acrossProvinces');
  flows.push(['total', fmt(s.inquiries), percent(1), fmt(s.inquiries), percent(1)]);

  const byProvince = new Table({
    head: ['province', 'spread', 'its node carries', 'share', 'within', 'with the centre', 'across provinces'],
    colAligns: ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    style,
  });
  for (const p of a.provinces) {
    byProvince.push([`${p.code} ${p.nameEn}`, percent(p.spreadShare), fmt(p.inquiries), percent(p.share), fmt(p.withinProvince), fmt(p.withCentre), fmt(p.acrossProvinces)]);
  }
  const provinces = a.provinces.length === 0 ? '' : `\nBusiest provincial nodes (a cross-province exchange counts on both its nodes; --top for more):\n${byProvince.toString()}\n`;
  return `${assumptions}\n\nThe country's inquiries by the nodes that carry them:\n${flows.toString()}\n${provinces}`;
}
