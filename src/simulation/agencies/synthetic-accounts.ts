// SYNTHETIC bank accounts (SHEBA numbers) of citizens and legal entities, keyed by their national
// code or legal-entity ID: the central bank's ownership check and the tax administration's list of
// registered accounts read from here, so they agree. Each SHEBA is valid (ISO 13616 check digits)
// and names a bank the SHEBA library knows, so bankOfSheba gives its bank.
import { shebaIso7064Mod97 } from '@persian-tools/persian-tools';
import { bankOfSheba, type Bank } from '../../identifiers/iran.ts';
import { digits, int, pick, randomJalaliDate, rngFor } from './random.ts';
import { DEFAULT_SEED } from './synthetic.ts';

type Seed = string | number;

// Three-digit bank codes (characters 5–7 of a SHEBA) of the larger banks.
const BANK_CODES = ['012', '017', '018', '019', '015', '016', '056', '057', '054', '062', '055', '021', '014', '013', '061', '059', '058'];

export interface Account {
  readonly sheba: string;
  readonly bank: Bank;
  /** Jalali date the owner registered the account with the tax administration, if they did. */
  readonly taxRegisteredOn?: string;
}

/**
 * `IR` + check digits + the 22-digit BBAN. The check digits are 98 − (BBAN ‖ "IR00" as digits) mod 97,
 * the ISO 13616 rule; the mod 97 itself is the library's.
 */
export function shebaOf(bban: string): string {
  const check = 98 - shebaIso7064Mod97(`${bban}182700`); // I = 18, R = 27
  return `IR${String(check).padStart(2, '0')}${bban}`;
}

/** The accounts of a citizen (national code) or legal entity (legal ID); at least one each. */
export function accountsOf(ownerId: string, seed: Seed = DEFAULT_SEED): Account[] {
  const rng = rngFor(seed, 'accounts', ownerId);
  const legal = ownerId.length === 11;
  const count = int(rng, 1, legal ? 4 : 3);
  const accounts: Account[] = [];
  for (let i = 0; i < count; i++) {
    const sheba = shebaOf(`${pick(rng, BANK_CODES)}0${digits(rng, 18)}`);
    const bank = bankOfSheba(sheba);
    if (!bank) throw new Error(`synthetic accounts: no bank for ${sheba}`);
    // Legal entities must register every account; most people register the one their income uses.
    const registered = legal || i === 0 || rng() < 0.3;
    const on = randomJalaliDate(rng, 1397, 1402);
    accounts.push({ sheba, bank, ...(registered ? { taxRegisteredOn: on } : {}) });
  }
  return accounts;
}
