// Password hashing for the dashboard's accounts: scrypt (RFC 7914) from node:crypto, a 16-byte random
// salt per hash, a 32-byte key. Cost N = 2^15, r = 8, p = 1: 32 MiB of memory and about 170 ms of
// one core per hash on the 2-core test machine (2^16: 360 ms, 2^17: 700 ms and 128 MiB). That is a
// quarter of OWASP's Password Storage Cheat Sheet minimum (N = 2^17, r = 8, p = 1), chosen so that a
// burst of logins on a 2-core node does not hold the libuv pool for seconds; online guessing is bounded
// anyway by the lock-out and the per-address limiter (login-guard.ts), and an offline guesser still pays
// 32 MiB and tens of milliseconds per guess. The parameters are stored with each hash: raising
// SCRYPT_LOG_N later leaves old hashes verifying, and new ones (user add) take the new cost.
//
// Stored form: scrypt$<log2 N>$<r>$<p>$<salt base64url>$<key base64url>. The hash runs on the libuv
// pool (the asynchronous scrypt), never on the event loop; the comparison is timingSafeEqual.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { Errors, fail } from '../../errors/catalogue.ts';

export const SCRYPT_LOG_N = 15;
export const SCRYPT_R = 8;
export const SCRYPT_P = 1;
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Passwords are between these lengths (characters; NIST SP 800-63B §3.1.1.2 asks for at least 8 and
 * room for 64; these accounts change the country's registry). */
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 1024;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  // 128·N·r bytes of memory; Node's default ceiling (32 MiB) is just short of it at N = 2^15.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export function checkPasswordShape(password: string): void {
  const n = [...password].length;
  if (n < PASSWORD_MIN || n > PASSWORD_MAX) fail(Errors.AccountInvalidInput, `a password of ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`);
}

export async function hashPassword(password: string): Promise<string> {
  checkPasswordShape(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P);
  return ['scrypt', SCRYPT_LOG_N, SCRYPT_R, SCRYPT_P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Whether the password matches the stored hash. A malformed stored hash matches nothing, after the
 * same work as a well-formed one (the default parameters), so it cannot be told apart by time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  const [tag, logN, r, p, salt, key] = parts;
  const wellFormed = parts.length === 6 && tag === 'scrypt' && /^\d{1,2}$/.test(logN!) && /^\d{1,2}$/.test(r!) && /^\d{1,2}$/.test(p!)
    && Number(logN) >= 10 && Number(logN) <= 20 && Number(r) >= 1 && Number(p) >= 1 && Number(p) <= 4;
  const expected = wellFormed ? Buffer.from(key!, 'base64url') : Buffer.alloc(KEY_BYTES);
  const derived = await derive(password.slice(0, PASSWORD_MAX * 4),
    wellFormed ? Buffer.from(salt!, 'base64url') : Buffer.alloc(SALT_BYTES),
    wellFormed ? Number(logN) : SCRYPT_LOG_N, wellFormed ? Number(r) : SCRYPT_R, wellFormed ? Number(p) : SCRYPT_P);
  return wellFormed && expected.length === derived.length && timingSafeEqual(expected, derived);
}

/** A hash of a random password nobody knows: an unknown user's login is checked against it, so that
 * it costs the same scrypt as a known user's and the answer's timing does not tell them apart. */
export function decoyHash(): Promise<string> {
  return hashPassword(randomBytes(24).toString('base64url'));
}
