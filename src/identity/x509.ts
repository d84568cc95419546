// The single place @peculiar/x509 is loaded: its ASN.1 layer uses decorators that need
// reflect-metadata present first, and it signs through whichever WebCrypto is registered.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

// Node's webcrypto types differ nominally from the DOM ones the library is typed against.
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

export { x509, webcrypto };

/** ECDSA P-256 keeps TLS handshakes cheap; every key the exchange makes uses it. */
export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
export const SIGNING_ALGORITHM = { name: 'ECDSA', hash: 'SHA-256' } as const;

export function generateKeyPair(extractable: boolean): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(KEY_ALGORITHM, extractable, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

export async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key as webcrypto.CryptoKey);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

/** A positive 128-bit serial: unpredictable, and never confused with a negative DER integer. */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return Buffer.from(bytes).toString('hex');
}

/** Backdating absorbs small clock differences between the CA host and the nodes. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
