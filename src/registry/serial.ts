// Certificate serial numbers in the one form the node compares: upper-case hex without separators
// or leading zeros, as Node prints a peer certificate's serial. Operators may paste them as
// OpenSSL prints them (`40:AB:…`) or with a 0x prefix.
import { Errors, fail } from '../errors/catalogue.ts';

export function normaliseSerial(text: string): string {
  const hex = String(text).trim().replace(/^0x/i, '').replace(/[:\s]/g, '').toUpperCase();
  // RFC 5280 §4.1.2.2 allows 20 octets; 64 hex digits (32 octets) leave room for non-conforming CAs.
  if (!/^[0-9A-F]{1,64}$/.test(hex)) fail(Errors.InvalidInput, `a certificate serial is hexadecimal: ${JSON.stringify(String(text).slice(0, 80))}`);
  return hex.replace(/^0+(?=.)/, '');
}
