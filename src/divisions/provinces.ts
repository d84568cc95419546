// The 31 provinces (ostan) of Iran with the Statistical Centre of Iran's two-digit codes.
// Since ISO's change of 2020-11-24, ISO 3166-2:IR uses the same numbers (IR-00 Markazi … IR-30
// Alborz), so one code serves both; older data may still carry the pre-2020 ISO codes (IR-01 was
// East Azerbaijan, IR-32 Alborz) and must be mapped, not trusted.
// Persian names use Persian kaf/yeh (ک ی, not Arabic ك ي) and a ZWNJ where Persian writes one.
import { Errors, fail } from '../errors/catalogue.ts';
import { normalizeDigits } from '../dates/jalali.ts';

export interface Province {
  readonly code: string;
  readonly iso: string;
  readonly nameFa: string;
  readonly nameEn: string;
  readonly capitalFa: string;
  readonly capitalEn: string;
}

// [code, nameFa, nameEn, capitalFa, capitalEn]
const TABLE: ReadonlyArray<readonly [string, string, string, string, string]> = [
  ['00', 'مرکزی', 'Markazi', 'اراک', 'Arak'],
  ['01', 'گیلان', 'Gilan', 'رشت', 'Rasht'],
  ['02', 'مازندران', 'Mazandaran', 'ساری', 'Sari'],
  ['03', 'آذربایجان شرقی', 'East Azerbaijan', 'تبریز', 'Tabriz'],
  ['04', 'آذربایجان غربی', 'West Azerbaijan', 'ارومیه', 'Urmia'],
  ['05', 'کرمانشاه', 'Kermanshah', 'کرمانشاه', 'Kermanshah'],
  ['06', 'خوزستان', 'Khuzestan', 'اهواز', 'Ahvaz'],
  ['07', 'فارس', 'Fars', 'شیراز', 'Shiraz'],
  ['08', 'کرمان', 'Kerman', 'کرمان', 'Kerman'],
  ['09', 'خراسان رضوی', 'Razavi Khorasan', 'مشهد', 'Mashhad'],
  ['10', 'اصفهان', 'Isfahan', 'اصفهان', 'Isfahan'],
  ['11', 'سیستان و بلوچستان', 'Sistan and Baluchestan', 'زاهدان', 'Zahedan'],
  ['12', 'کردستان', 'Kurdistan', 'سنندج', 'Sanandaj'],
  ['13', 'همدان', 'Hamadan', 'همدان', 'Hamadan'],
  ['14', 'چهارمحال و بختیاری', 'Chaharmahal and Bakhtiari', 'شهرکرد', 'Shahrekord'],
  ['15', 'لرستان', 'Lorestan', 'خرم\u200Cآباد', 'Khorramabad'],
  ['16', 'ایلام', 'Ilam', 'ایلام', 'Ilam'],
  ['17', 'کهگیلویه و بویراحمد', 'Kohgiluyeh and Boyer-Ahmad', 'یاسوج', 'Yasuj'],
  ['18', 'بوشهر', 'Bushehr', 'بوشهر', 'Bushehr'],
  ['19', 'زنجان', 'Zanjan', 'زنجان', 'Zanjan'],
  ['20', 'سمنان', 'Semnan', 'سمنان', 'Semnan'],
  ['21', 'یزد', 'Yazd', 'یزد', 'Yazd'],
  ['22', 'هرمزگان', 'Hormozgan', 'بندرعباس', 'Bandar Abbas'],
  ['23', 'تهران', 'Tehran', 'تهران', 'Tehran'],
  ['24', 'اردبیل', 'Ardabil', 'اردبیل', 'Ardabil'],
  ['25', 'قم', 'Qom', 'قم', 'Qom'],
  ['26', 'قزوین', 'Qazvin', 'قزوین', 'Qazvin'],
  ['27', 'گلستان', 'Golestan', 'گرگان', 'Gorgan'],
  ['28', 'خراسان شمالی', 'North Khorasan', 'بجنورد', 'Bojnurd'],
  ['29', 'خراسان جنوبی', 'South Khorasan', 'بیرجند', 'Birjand'],
  ['30', 'البرز', 'Alborz', 'کرج', 'Karaj'],
];

export const PROVINCES: readonly Province[] = Object.freeze(
  TABLE.map(([code, nameFa, nameEn, capitalFa, capitalEn]) =>
    Object.freeze({ code, iso: `IR-${code}`, nameFa, nameEn, capitalFa, capitalEn })),
);

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

/** The province with this two-digit code (Persian digits accepted), or undefined. */
export function provinceByCode(code: string): Province | undefined {
  return BY_CODE.get(normalizeDigits(code.trim()));
}

/**
 * The province of a county: a county's four-digit code starts with its province's code. A code that
 * is not four digits is bad input; a well-formed code of no province answers undefined.
 */
export function provinceOfCounty(countyCode: string): Province | undefined {
  const code = normalizeDigits(countyCode.trim());
  if (!/^\d{4}$/.test(code)) fail(Errors.InvalidInput, `${JSON.stringify(countyCode)} is not a four-digit county code`);
  return BY_CODE.get(code.slice(0, 2));
}
