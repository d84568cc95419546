// X-Road identifiers: INSTANCE/CLASS/MEMBER/SUBSYSTEM for a client, plus /SERVICE for a service.
// Allowed characters in a part follow X-Road's identifier rules: letters, digits and '()+,-.=?
// (plus '_' and ':' which X-Road also accepts in codes).
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

const PART = /^[\p{L}\p{N}'()+,\-.=?_:]{1,255}$/u;

export function isValidPart(part: string): boolean {
  return PART.test(part);
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

export function subsystemKey(id: SubsystemId): string {
  return `${id.instance}/${id.memberClass}/${id.memberCode}/${id.subsystemCode}`;
}

export function serviceKey(id: ServiceId): string {
  return `${subsystemKey(id)}/${id.serviceCode}`;
}

export function memberKey(id: { instance: string; memberClass: string; memberCode: string }): string {
  return `${id.instance}/${id.memberClass}/${id.memberCode}`;
}
