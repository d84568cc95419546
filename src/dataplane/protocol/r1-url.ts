// The request line of X-Road's message protocol for REST:
//   {METHOD} /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path][?query]
// Each identifier part is percent-encoded on its own; everything after the service code is
// appended to the provider's base URL as sent.
import { Errors, fail } from '../../errors/catalogue.ts';
import { isValidPart } from '../../identifiers/xroad-id.ts';

export type Target =
  | { kind: 'service'; serviceId: string; servicePath: string; query: string }
  | { kind: 'listMethods' | 'allowedMethods' | 'getOpenAPI'; providerId: string; query: string }
  | { kind: 'listClients'; query: string };

const METASERVICES = new Set(['listMethods', 'allowedMethods', 'getOpenAPI']);

function decodePart(raw: string): string {
  let part: string;
  try {
    part = decodeURIComponent(raw);
  } catch {
    fail(Errors.InvalidServiceIdentifier, `bad percent-encoding in ${JSON.stringify(raw)}`);
  }
  if (!isValidPart(part)) fail(Errors.InvalidServiceIdentifier, `${JSON.stringify(part)} is not a valid identifier part`);
  return part;
}

/** Refuses a path that would climb out of the service once the provider decodes it. */
function checkTraversal(path: string): void {
  // Without a dot, a percent sign or a backslash no segment can decode to "." or ".." or hide a slash.
  if (!/[.%\\]/.test(path)) return;
  for (const segment of path.split('/')) {
    if (segment === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      fail(Errors.BadRequest, `bad percent-encoding in the path`);
    }
    // An encoded slash or backslash would let ".." hide inside one segment.
    if (decoded === '.' || decoded === '..' || decoded.includes('/') || decoded.includes('\\')) {
      fail(Errors.PathTraversal, JSON.stringify(segment));
    }
  }
}

// Service identifiers repeat from request to request: each distinct /r1/… prefix is decoded and
// checked once. Bounded, so a caller sending random identifiers cannot grow it without limit.
const serviceIds = new Map<string, string>();
const MAX_CACHED_IDS = 10_000;

function serviceIdOf(prefix: string, parts: string[]): string {
  let id = serviceIds.get(prefix);
  if (id === undefined) {
    id = parts.map(decodePart).join('/');
    if (serviceIds.size >= MAX_CACHED_IDS) serviceIds.clear();
    serviceIds.set(prefix, id);
  }
  return id;
}

export function parseRequestTarget(url: string): Target {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  if (path === '/listClients') return { kind: 'listClients', query };

  const segments = path.split('/');
  const version = segments[1] ?? '';
  if (version !== 'r1') {
    if (/^[rv]\d+$/i.test(version)) fail(Errors.UnsupportedVersion, `got ${version}`);
    fail(Errors.BadRequest, 'expected /r1/{instance}/{class}/{member}/{subsystem}/{service}');
  }
  const parts = segments.slice(2, 7);
  // Five parts name a metaservice of a provider subsystem, or a service without a path.
  if (parts.length === 5 && segments.length === 7 && METASERVICES.has(parts[4]!)) {
    const providerId = parts.slice(0, 4).map(decodePart).join('/');
    return { kind: parts[4] as 'listMethods', providerId, query };
  }
  if (parts.length < 5 || parts.some((p) => p === '')) {
    fail(Errors.InvalidServiceIdentifier, 'all five parts INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE are required');
  }
  // The prefix /r1/{5 parts} ends where the seventh segment ends.
  const prefixEnd = segments.length > 7 ? segments.slice(0, 7).join('/').length : path.length;
  const serviceId = serviceIdOf(path.slice(0, prefixEnd), parts);
  const servicePath = path.slice(prefixEnd);
  checkTraversal(servicePath);
  return { kind: 'service', serviceId, servicePath, query };
}
