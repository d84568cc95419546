// SYNTHETIC vehicles, keyed by plate: the police's vehicle register and the central insurer's
// third-party policies both read from here, so they agree about every plate. Like an address for a
// postal code, every valid car plate has a vehicle, and its owner is a citizen derived from the
// plate — NOCR answers for that owner with the same name the police give.
//
// The demo citizen owns one fixed plate so that the guide can show a known vehicle.
import { addJalaliDays, formatJalali, instantToJalali } from '../../dates/jalali.ts';
import { normalizePlate } from '../../identifiers/iran.ts';
import { derivedNationalCode, digits, int, pick, randomJalaliDate, rngFor, type Rng } from './random.ts';
import { DEFAULT_SEED, DEMO_CITIZEN } from './synthetic.ts';

type Seed = string | number;

export const DEMO_PLATE = '12ب34577';

// Letters of private cars, and registration codes the plate library knows (the last digit may be 0,
// no other digit of a plate may).
const PRIVATE_LETTERS = ['ب', 'ج', 'د', 'س', 'ص', 'ط', 'ق', 'ل', 'م', 'ن', 'و', 'ه', 'ی'];
const REGISTRATION_CODES = [
  11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27, 28, 29, 31, 32, 33, 34, 35, 36, 37, 38,
  41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 55, 56, 57, 58, 59, 61, 62, 63, 64, 65, 66, 67, 68, 69,
  71, 72, 73, 74, 75, 76, 77, 78, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
];

// [English, Persian]: the cars most registered in Iran.
const MODELS: ReadonlyArray<readonly [string, string]> = [
  ['Saipa Pride 131', 'سایپا پراید ۱۳۱'], ['Peugeot 206', 'پژو ۲۰۶'], ['Peugeot 405', 'پژو ۴۰۵'],
  ['Peugeot Pars', 'پژو پارس'], ['IKCO Samand', 'ایران‌خودرو سمند'], ['IKCO Dena', 'ایران‌خودرو دنا'],
  ['Saipa Tiba', 'سایپا تیبا'], ['Saipa Quick', 'سایپا کوییک'], ['Renault Tondar 90', 'رنو تندر ۹۰'],
  ['Kia Cerato', 'کیا سراتو'], ['Hyundai Sonata', 'هیوندای سوناتا'], ['Toyota Corolla', 'تویوتا کرولا'],
];
const COLOURS: ReadonlyArray<readonly [string, string]> = [
  ['white', 'سفید'], ['silver', 'نقره‌ای'], ['black', 'مشکی'], ['grey', 'خاکستری'], ['blue', 'آبی'], ['red', 'قرمز'],
];
// [English, Persian] of insurers that sell third-party cover.
const INSURERS: ReadonlyArray<readonly [string, string]> = [
  ['Iran Insurance', 'بیمه ایران'], ['Asia Insurance', 'بیمه آسیا'], ['Alborz Insurance', 'بیمه البرز'],
  ['Dana Insurance', 'بیمه دانا'], ['Parsian Insurance', 'بیمه پارسیان'], ['Moallem Insurance', 'بیمه معلم'],
];

export interface Vehicle {
  readonly plate: string;
  readonly ownerNationalCode: string;
  readonly modelEn: string;
  readonly modelFa: string;
  /** Jalali year of manufacture. */
  readonly year: number;
  readonly colourEn: string;
  readonly colourFa: string;
  /** 17 characters, as stamped on the chassis. */
  readonly vin: string;
  readonly scrapped: boolean;
  readonly scrappedOn?: string;
  readonly scrapCertificate?: string;
}

export interface ThirdPartyPolicy {
  readonly insured: boolean;
  readonly insurerEn?: string;
  readonly insurerFa?: string;
  readonly policyNumber?: string;
  readonly validFrom?: string;
  readonly validUntil?: string;
}


/** A plate drawn from the stream, in canonical form. */
export function randomPlate(rng: Rng): string {
  return `${digits(rng, 2, true)}${pick(rng, PRIVATE_LETTERS)}${digits(rng, 3, true)}${pick(rng, REGISTRATION_CODES)}`;
}

/** The vehicle with this plate. Throws RangeError on a plate that is not a valid car plate. */
export function vehicleByPlate(plate: string, seed: Seed = DEFAULT_SEED): Vehicle {
  const p = normalizePlate(plate);
  if (p === undefined) throw new RangeError(`${JSON.stringify(plate)} is not a valid car plate`);
  const rng = rngFor(seed, 'vehicle', p);
  const [modelEn, modelFa] = pick(rng, MODELS);
  const [colourEn, colourFa] = pick(rng, COLOURS);
  const year = int(rng, 1375, 1402);
  // Old cars are the ones scrapped, under the ageing-fleet renewal programme.
  const scrapped = year < 1385 && rng() < 0.3;
  const vin = `NA${digits(rng, 1)}${pick(rng, ['A', 'B', 'C', 'D', 'E'])}${digits(rng, 13)}`;
  const owner = p === DEMO_PLATE ? DEMO_CITIZEN.nationalCode : derivedNationalCode(seed, 'vehicle-owner', p);
  return {
    plate: p,
    ownerNationalCode: owner,
    modelEn, modelFa, year, colourEn, colourFa, vin,
    scrapped,
    ...(scrapped ? { scrappedOn: randomJalaliDate(rng, 1395, 1402), scrapCertificate: digits(rng, 10) } : {}),
  };
}

/** The third-party (motor liability) policy in force for a plate; scrapped cars have none. */
export function thirdPartyPolicyOf(plate: string, seed: Seed = DEFAULT_SEED): ThirdPartyPolicy {
  const vehicle = vehicleByPlate(plate, seed);
  const rng = rngFor(seed, 'third-party', vehicle.plate);
  if (vehicle.scrapped || rng() < 0.08) return { insured: false };
  const [insurerEn, insurerFa] = pick(rng, INSURERS);
  // A one-year policy bought within the last year, so that it is in force today (Tehran's date).
  const from = addJalaliDays(instantToJalali(new Date()), -int(rng, 0, 364));
  return {
    insured: true,
    insurerEn,
    insurerFa,
    policyNumber: `${from.year}${digits(rng, 8)}`,
    validFrom: formatJalali(from),
    validUntil: formatJalali(addJalaliDays(from, 364)),
  };
}
