import { describe, expect, it } from 'vitest';
import {
  bankOfSheba,
  completeWithCheckDigit,
  isLegalId,
  isMobile,
  isNationalCode,
  isPostalCode,
  isPlate,
  isSheba,
  nationalCodeCheckDigit,
  normalizeMobile,
  normalizePlate,
  toLatinDigits,
} from './iran.ts';

// Independent implementations of the checks, so the tests do not merely repeat the library.
function nationalCheckDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(nine[i]) * (10 - i);
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

function ibanMod97(iban: string): bigint {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  const numeric = rearranged.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(numeric) % 97n;
}

function makeSheba(bban22: string): string {
  const check = 98n - ibanMod97(`IR00${bban22}`);
  return `IR${String(check).padStart(2, '0')}${bban22}`;
}

const toPersian = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x06f0 + Number(d)));
const toArabicIndic = (s: string): string => s.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)));

describe('toLatinDigits', () => {
  it('turns Persian and Arabic-Indic digits into Latin ones', () => {
    expect(toLatinDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(toLatinDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(toLatinDigits('  IR۰۶ ')).toBe('IR06');
  });
});

describe('isNationalCode', () => {
  it('accepts the demo citizen and refuses a wrong check digit', () => {
    expect(nationalCheckDigit('001234567')).toBe(9);
    expect(isNationalCode('0012345679')).toBe(true);
    expect(isNationalCode('0012345678')).toBe(false);
  });

  it('refuses every one-digit repeat although each passes the checksum', () => {
    for (let d = 0; d <= 9; d++) {
      const code = String(d).repeat(10);
      expect(nationalCheckDigit(code.slice(0, 9))).toBe(d);
      expect(isNationalCode(code), code).toBe(false);
    }
  });

  it('agrees with an independent check-digit computation on many generated codes', () => {
    let x = 123_456_789;
    for (let n = 0; n < 500; n++) {
      x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
      const nine = String(x % 1_000_000_000).padStart(9, '0');
      if (/^(\d)\1{8}$/.test(nine) || nine.slice(3, 9) === '000000') continue;
      const check = nationalCheckDigit(nine);
      expect(isNationalCode(nine + check), nine + check).toBe(true);
      expect(isNationalCode(nine + ((check + 1) % 10)), `${nine} wrong digit`).toBe(false);
    }
  });

  it('requires exactly ten digits (the library would pad shorter ones)', () => {
    expect(isNationalCode('12345679')).toBe(false);
    expect(isNationalCode('012345679')).toBe(false);
    expect(isNationalCode('00012345679')).toBe(false);
    expect(isNationalCode('001234567a')).toBe(false);
    expect(isNationalCode('')).toBe(false);
    expect(isNationalCode(12345679)).toBe(false);
    expect(isNationalCode(undefined)).toBe(false);
  });

  it('accepts Persian and Arabic-Indic digits', () => {
    expect(isNationalCode(toPersian('0012345679'))).toBe(true);
    expect(isNationalCode(toArabicIndic('0012345679'))).toBe(true);
    expect(isNationalCode(toPersian('0012345678'))).toBe(false);
  });
});

describe('isLegalId', () => {
  it('checks the 11-digit legal identifier', () => {
    expect(isLegalId('10380284790')).toBe(true);
    expect(isLegalId(toPersian('10380284790'))).toBe(true);
    expect(isLegalId('10380284791')).toBe(false);
    expect(isLegalId('1038028479')).toBe(false);
    expect(isLegalId('00000000000')).toBe(false);
  });
});

describe('isSheba and bankOfSheba', () => {
  const valid = 'IR062960000000100324200001';

  it('accepts a SHEBA whose mod 97 is 1, computed here with BigInt', () => {
    expect(ibanMod97(valid)).toBe(1n);
    expect(isSheba(valid)).toBe(true);
    expect(isSheba(toPersian(valid))).toBe(true);
    expect(isSheba('IR06 2960 0000 0010 0324 2000 01')).toBe(true);
  });

  it('refuses a broken check digit and malformed numbers', () => {
    const broken = 'IR072960000000100324200001';
    expect(ibanMod97(broken)).not.toBe(1n);
    expect(isSheba(broken)).toBe(false);
    expect(isSheba('062960000000100324200001')).toBe(false); // country code is required
    expect(isSheba('DE062960000000100324200001')).toBe(false);
    expect(isSheba('IR06296000000010032420000')).toBe(false);
  });

  it('names the bank from characters 5–7 when the library knows it', () => {
    const melli = makeSheba('0170000000123456789012');
    expect(ibanMod97(melli)).toBe(1n);
    expect(bankOfSheba(melli)).toEqual({ code: '017', nameEn: 'Melli', nameFa: 'بانک ملی ایران' });
    expect(bankOfSheba(makeSheba('0120000000123456789012'))?.nameEn).toBe('Mellat Bank');
    expect(bankOfSheba(valid)).toBeUndefined(); // code 296 is in no bank table
    expect(bankOfSheba('IR072960000000100324200001')).toBeUndefined();
  });
});

describe('isPostalCode', () => {
  it('applies the rule that the first five digits contain neither 0 nor 2', () => {
    expect(isPostalCode('1193653471')).toBe(true);
    expect(isPostalCode(toPersian('1193653471'))).toBe(true);
    expect(isPostalCode('1023456789')).toBe(false);
    expect(isPostalCode('1193253471')).toBe(false);
    expect(isPostalCode('1193603471')).toBe(true); // 0 is allowed after the fifth digit
    expect(isPostalCode('119365347')).toBe(false);
    expect(isPostalCode('11936534711')).toBe(false);
  });
});

describe('isMobile and normalizeMobile', () => {
  it('accepts the usual forms and normalises them to 09XXXXXXXXX', () => {
    for (const form of ['09121234567', '+989121234567', '00989121234567', toPersian('09121234567'), '0912 123 4567']) {
      expect(isMobile(form), form).toBe(true);
      expect(normalizeMobile(form)).toBe('09121234567');
    }
  });

  it('refuses wrong lengths, landlines, bare forms and unknown operator prefixes', () => {
    for (const bad of ['0912123456', '091212345678', '02112345678', '9121234567', '989121234567', '0912123456a', '', '09501234567']) {
      expect(isMobile(bad), bad).toBe(false);
    }
    expect(normalizeMobile(42)).toBeUndefined();
  });
});

describe('car plates', () => {
  it('accepts a private plate however it is written, in canonical form', () => {
    for (const written of ['12ب34577', '12 ب 345 77', '12ب345-77', '۱۲ ب ۳۴۵ ایران ۷۷', '١٢ب٣٤٥٧٧', '12الف34511']) {
      expect(isPlate(written), written).toBe(true);
    }
    expect(normalizePlate('۱۲ ب ۳۴۵ ایران ۷۷')).toBe('12ب34577');
  });
  it('refuses unknown letters, zeros where plates have none, unknown codes, motorcycle plates and junk', () => {
    for (const bad of ['12X34577', '02ب34577', '12ب30577', '12ب34500', '12345678', '1234567', '12ب3457', 'plate', '', 12, null]) {
      expect(isPlate(bad), String(bad)).toBe(false);
    }
  });
});

describe('building identifiers', () => {
  it('computes the national-code check digit exactly as the library checks it', () => {
    for (let x = 1_234_567; x < 1_000_000_000; x += 9_876_543) {
      const nine = String(x).padStart(9, '0');
      expect(nationalCodeCheckDigit(nine)).toBe(nationalCheckDigit(nine));
    }
  });
  it('completes a body with the one check digit the validator accepts, or none', () => {
    const code = completeWithCheckDigit('001234567', isNationalCode);
    expect(code).toBe('0012345679');
    expect(completeWithCheckDigit('000000000', isNationalCode)).toBeUndefined();
    const legal = completeWithCheckDigit('1032794286', isLegalId);
    expect(legal !== undefined && isLegalId(legal)).toBe(true);
  });
});
