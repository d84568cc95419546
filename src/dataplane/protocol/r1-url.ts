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
  const serviceId = parts.map(decodePart).join('/');
  const servicePath = segments.length > 7 ? '/' + segments.slice(7).join('/') : '';
  checkTraversal(servicePath);
  return { kind: 'service', serviceId, servicePath, query };
}
