// Deterministic randomness for the SYNTHETIC data of the simulated agencies. Every value an agency
// answers is drawn from a stream keyed by (seed, kind, key) — e.g. (seed, "citizen", national code)
// — so that any process computes the same answer without shared state, and a different seed gives
// a different population.
import { isNationalCode, nationalCodeCheckDigit } from '../../identifiers/iran.ts';

export type Rng = () => number;

// FNV-1a spreads seed+key into 32 bits; mulberry32 then gives a short, fast, well-mixed stream.
// Neither is cryptographic, and nothing here needs to be.
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function mulberry32(state: number): Rng {
  let a = state;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The seed and key are separated so that ("a", "bc") and ("ab", "c") do not collide.
export const rngFor = (seed: string | number, kind: string, key: string): Rng => mulberry32(hash32(`${seed}\u0000${kind}\u0000${key}`));

export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1));

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)] as T;
}

/** `count` random digits, each 1–9 when `noZero` (plates have no zeros). */
export function digits(rng: Rng, count: number, noZero = false): string {
  let out = '';
  for (let i = 0; i < count; i++) out += noZero ? int(rng, 1, 9) : int(rng, 0, 9);
  return out;
}

/** A valid national code drawn from the stream: some citizen of the synthetic population. */
export function randomNationalCode(rng: Rng): string {
  for (;;) {
    const nine = digits(rng, 9);
    const code = nine + nationalCodeCheckDigit(nine);
    // The library also refuses codes the checksum allows (repeated digits, zero middle part).
    if (isNationalCode(code)) return code;
  }
}

/** A national code that is a pure function of (seed, kind, key): a relative, a vehicle's owner. */
export function derivedNationalCode(seed: string | number, kind: string, key: string): string {
  return randomNationalCode(rngFor(seed, kind, key));
}

/** A Jalali date `YYYY/MM/DD` in [fromYear, toYear]; days stop at 29 so that every month has them. */
export function randomJalaliDate(rng: Rng, fromYear: number, toYear: number): string {
  const pad2 = (n: number): string => String(n).padStart(2, '0');
  return `${int(rng, fromYear, toYear)}/${pad2(int(rng, 1, 12))}/${pad2(int(rng, 1, 29))}`;
}
