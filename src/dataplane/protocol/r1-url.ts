// The request line of X-Road's message protocol for REST:
//   {METHOD} /r1/{instance}/{class}/{member}/{subsystem}/{service}[/path][?query]
// Each identifier part is percent-encoded on its own; everything after the service code is
// appended to the provider's base URL in its normal form (see normalizePath).
import { Errors, fail } from '../../errors/catalogue.ts';
import { decodeIdPart } from '../../identifiers/xroad-id.ts';

export type Target =
  | { kind: 'service'; serviceId: string; servicePath: string; query: string }
  | { kind: 'listMethods' | 'allowedMethods' | 'getOpenAPI'; providerId: string; query: string }
  | { kind: 'listClients'; query: string };

const METASERVICES = new Set(['listMethods', 'allowedMethods', 'getOpenAPI']);

const decodePart = (raw: string) => decodeIdPart(raw, Errors.InvalidServiceIdentifier);

// RFC 3986 §2.3: the unreserved characters, whose percent-encodings are equivalent to themselves.
const UNRESERVED = /[A-Za-z0-9\-._~]/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/**
 * The service path in its one normal form (RFC 3986 §6.2.2): escapes of unreserved characters
 * decoded (§6.2.2.2), other escapes upper-cased (§6.2.2.1). This one form is matched against the
 * contract, authorised, recorded as its template and forwarded, so that no encoding of a path can
 * be matched as one endpoint and run by the provider as another. Encoded `/` and `\` are refused
 * (they would hide a segment boundary from the match), as are `.` and `..` segments (they would
 * climb out of the service once the provider resolves them) and raw backslashes.
 */
export function normalizePath(path: string): string {
  // Without a dot, a percent sign, a backslash or a semicolon the path is already normal.
  if (!/[.%\\;]/.test(path)) return path;
  if (path.includes('\\')) fail(Errors.PathTraversal);
  // Servlet containers strip `;params` from a segment (and read `..;` as `..`): a path the node
  // matched as /records/{id} could run as another route there. No contract path needs a raw `;`.
  if (path.includes(';')) fail(Errors.BadRequest, 'a raw ";" in the path (matrix parameters) is not passed on');
  const segments = path.split('/');
  for (let i = 0; i < segments.length; i++) {
    let segment = segments[i]!;
    if (segment.includes('%')) {
      segment = segment.replace(/%(.{0,2})/g, (_, hex: string) => {
        if (!HEX.test(hex)) fail(Errors.BadRequest, 'bad percent-encoding in the path');
        const c = String.fromCharCode(parseInt(hex, 16));
        if (c === '/' || c === '\\') fail(Errors.PathTraversal);
        return UNRESERVED.test(c) ? c : '%' + hex.toUpperCase();
      });
      segments[i] = segment;
    }
    if (segment === '.' || segment === '..') fail(Errors.PathTraversal);
  }
  return segments.join('/');
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

/** `method`: metaservices answer GET only; any other method names an ordinary service (PR-MREST, X-Road's RestMetadataServiceHandlerImpl). */
export function parseRequestTarget(url: string, method = 'GET'): Target {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  if (path === '/listClients') {
    if (method !== 'GET') fail(Errors.BadRequest, 'listClients answers GET only');
    return { kind: 'listClients', query };
  }

  const segments = path.split('/');
  const version = segments[1] ?? '';
  if (version !== 'r1') {
    if (/^[rv]\d+$/i.test(version)) fail(Errors.UnsupportedVersion, `got ${version}`);
    fail(Errors.BadRequest, 'expected /r1/{instance}/{class}/{member}/{subsystem}/{service}');
  }
  const parts = segments.slice(2, 7);
  // Five parts name a metaservice of a provider subsystem, or a service without a path.
  if (method === 'GET' && parts.length === 5 && segments.length === 7 && METASERVICES.has(parts[4]!)) {
    const providerId = parts.slice(0, 4).map(decodePart).join('/');
    return { kind: parts[4] as 'listMethods', providerId, query };
  }
  if (parts.length < 5 || parts.some((p) => p === '')) {
    fail(Errors.InvalidServiceIdentifier, 'all five parts INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE are required');
  }
  // The prefix /r1/{5 parts} ends where the seventh segment ends.
  const prefixEnd = segments.length > 7 ? segments.slice(0, 7).join('/').length : path.length;
  const serviceId = serviceIdOf(path.slice(0, prefixEnd), parts);
  const servicePath = normalizePath(path.slice(prefixEnd));
  // Some query parsers split on `;` as well as `&` (older Go and Python): the node would validate
  // one parameter where the provider reads two.
  if (query.includes(';')) fail(Errors.BadRequest, 'a raw ";" in the query is not passed on (encode it as %3B)');
  return { kind: 'service', serviceId, servicePath, query };
}
