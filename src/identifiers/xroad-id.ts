// X-Road identifiers: INSTANCE/CLASS/MEMBER/SUBSYSTEM for a client, plus /SERVICE for a service.
//
// A code (instance, member class, member code, subsystem, service or group code) uses only the
// characters X-Road's message protocol for REST allows in identifiers (PR-REST §4.8, version
// 1.0.3): ASCII letters, digits and the symbols '()+,-.=? . ASCII only is also the exchange's
// defence against look-alike codes: `NОCR` with a Cyrillic `О` is refused rather than registered
// as a second NOCR. Beyond §4.8, a code never contains `..` and is never a lone `.`, so that no
// code can be read as a path step once it sits in a URL or a file path. Names (free text, Persian
// welcome) are a different matter: see src/registry/names.ts.
import { Errors, fail, type ErrorSpec } from '../errors/catalogue.ts';

export type MemberClass = 'GOV' | 'COM';
export const MEMBER_CLASSES: readonly MemberClass[] = ['GOV', 'COM'];

export interface SubsystemId {
  readonly instance: string;
  readonly memberClass: string;
  readonly memberCode: string;
  readonly subsystemCode: string;
}

export interface ServiceId extends SubsystemId {
  readonly serviceCode: string;
}

/** The longest code accepted; X-Road's central server stores codes in 255-character columns. */
export const MAX_CODE_LENGTH = 255;
const PART = /^[A-Za-z0-9'()+,\-.=?]{1,255}$/;

export function isValidPart(part: string): boolean {
  return PART.test(part) && part !== '.' && !part.includes('..');
}

/** Why a code is refused, in words an operator can act on (the code itself is an organisation's identifier, not personal data). */
export function partProblem(part: string): string | undefined {
  if (part.length === 0) return 'is empty';
  if (part.length > MAX_CODE_LENGTH) return `is longer than ${MAX_CODE_LENGTH} characters`;
  if (!PART.test(part)) return "may contain only ASCII letters, digits and '()+,-.=? (X-Road PR-REST §4.8)";
  if (part === '.' || part.includes('..')) return 'may not be "." or contain ".."';
  return undefined;
}

function checkParts(parts: string[], count: number, spec: ErrorSpec, text: string): void {
  if (parts.length !== count || !parts.every(isValidPart)) fail(spec, JSON.stringify(text));
}

export function parseSubsystemId(text: string, spec: ErrorSpec = Errors.InvalidClientIdentifier): SubsystemId {
  const parts = text.trim().split('/');
  checkParts(parts, 4, spec, text);
  const [instance, memberClass, memberCode, subsystemCode] = parts as [string, string, string, string];
  return { instance, memberClass, memberCode, subsystemCode };
}

export function parseServiceId(text: string, spec: ErrorSpec = Errors.InvalidServiceIdentifier): ServiceId {
  const parts = text.trim().split('/');
  checkParts(parts, 5, spec, text);
  const [instance, memberClass, memberCode, subsystemCode, serviceCode] = parts as [string, string, string, string, string];
  return { instance, memberClass, memberCode, subsystemCode, serviceCode };
}

/**
 * One identifier part as a caller sends it, in a URL or a header: percent-encoded UTF-8 on its own
 * (PR-REST §4.2, §4.3), decoded and held to the code rules. The message names the rule it broke,
 * not the caller's text.
 */
export function decodeIdPart(part: string, spec: ErrorSpec): string {
  let value = part;
  if (part.includes('%')) {
    try {
      value = decodeURIComponent(part);
    } catch {
      fail(spec, 'bad percent-encoding in an identifier part');
    }
  }
  if (!isValidPart(value)) fail(spec, `an identifier part ${partProblem(value)}`);
  return value;
}

/**
 * The X-Road-Client header: INSTANCE/CLASS/MEMBER/SUBSYSTEM. Split on the raw `/` first, then each
 * part decoded, so an encoded `%2F` stays inside its part (and is refused there) rather than adding one.
 */
export function parseClientHeader(raw: string): SubsystemId {
  const parts = raw.trim().split('/');
  if (parts.length !== 4) fail(Errors.InvalidClientIdentifier, 'expected INSTANCE/CLASS/MEMBER/SUBSYSTEM');
  const [instance, memberClass, memberCode, subsystemCode] = parts.map((p) => decodeIdPart(p, Errors.InvalidClientIdentifier)) as [string, string, string, string];
  return { instance, memberClass, memberCode, subsystemCode };
}

export function subsystemKey(id: SubsystemId): string {
  return `${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}`;
}

export function serviceKey(id: ServiceId): string {
  return `${subsystemKey(id)}/${id.serviceCode}`;
}

export function memberKey(id: { instance: string; memberClass: string; memberCode: string }): string {
  return `${id.instance}/${id.memberClass}/${id.memberCode}`;
}
