// Header rules of X-Road's message protocol for REST.
import { hash } from 'node:crypto';

/** Dropped in both directions: connection-level (RFC 9110 §7.6.1) or rewritten by each hop. */
export const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'host', 'user-agent', 'server', 'content-length', 'expect',
]);

export interface XRoadRequestHeaders {
  client: string | undefined;
  id: string | undefined;
  userId: string | undefined;
  issue: string | undefined;
  representedParty: string | undefined;
  securityServer: string | undefined;
  /** Sent only by a consumer's node to the provider's node, which takes them only from a peer node:
   * the request id and request hash that both nodes record (a client's own are ignored at the door). */
  requestId: string | undefined;
  requestHash: string | undefined;
  /** The name of the first X-Road-* header whose value is over MAX_XROAD_HEADER, if any. */
  tooLong: string | undefined;
}

/** Every X-Road-* value is bounded: they are recorded, and a record's size must not be the caller's choice. */
export const MAX_XROAD_HEADER = 255;

/**
 * Reads the X-Road headers from the raw header list. When a header is repeated the last one wins,
 * which Node's joined `req.headers` cannot tell.
 */
export function readXRoadHeaders(rawHeaders: string[]): XRoadRequestHeaders {
  const h: XRoadRequestHeaders = { client: undefined, id: undefined, userId: undefined, issue: undefined, representedParty: undefined, securityServer: undefined, requestId: undefined, requestHash: undefined, tooLong: undefined };
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length < 7 || (name.charCodeAt(0) | 32) !== 120 /* x */) continue;
    const lower = name.toLowerCase();
    if (!lower.startsWith('x-road-')) continue;
    // An over-long value is refused, and kept out of the record of the refusal.
    if (rawHeaders[i + 1]!.length > MAX_XROAD_HEADER) {
      h.tooLong ??= lower;
      continue;
    }
    switch (lower) {
      case 'x-road-client': h.client = rawHeaders[i + 1]; break;
      case 'x-road-id': h.id = rawHeaders[i + 1]; break;
      case 'x-road-userid': h.userId = rawHeaders[i + 1]; break;
      case 'x-road-issue': h.issue = rawHeaders[i + 1]; break;
      case 'x-road-represented-party': h.representedParty = rawHeaders[i + 1]; break;
      case 'x-road-security-server': h.securityServer = rawHeaders[i + 1]; break;
      case 'x-road-request-id': h.requestId = rawHeaders[i + 1]; break;
      case 'x-road-request-hash': h.requestHash = rawHeaders[i + 1]; break;
    }
  }
  return h;
}

/**
 * X-Road-Request-Hash (PR-REST §4.3), laid out as X-Road's RestRequest serialises a request, so that
 * the answer is bound to exactly one request:
 *
 *   METHOD CRLF  request-target CRLF  (Name:Value CRLF)*  x-road-request-id:ID CRLF  [x-road-id:ID CRLF]
 *
 * The request target is the path and query as received; the headers are every header as received,
 * in order and in their own case, without the hop-by-hop ones and without a client-sent
 * X-Road-Request-Id or X-Road-Request-Hash; then the node's request id, and the X-Road-Id when the
 * node made it. All as the bytes received (latin1 strings in Node hold them one to one).
 * With a body: base64(SHA-512(SHA-512(that) ‖ SHA-512(body))); without one, base64(SHA-512(that)).
 */
export function requestHash(
  method: string, target: string, rawHeaders: string[], requestId: string, generatedXRoadId: string | undefined, body: Buffer,
): string {
  let text = `${method}\r\n${target}\r\n`;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'x-road-request-id' || lower === 'x-road-request-hash') continue;
    text += `${name}:${rawHeaders[i + 1]}\r\n`;
  }
  text += `x-road-request-id:${requestId}\r\n`;
  if (generatedXRoadId !== undefined) text += `x-road-id:${generatedXRoadId}\r\n`;
  // One-shot hashing: creating a Hash object costs more than hashing a small message.
  const head = Buffer.from(text, 'latin1');
  if (body.length === 0) return hash('sha512', head, 'base64');
  return hash('sha512', Buffer.concat([hash('sha512', head, 'buffer'), hash('sha512', body, 'buffer')], 128), 'base64');
}

/**
 * The header names a Connection header lists: hop-by-hop for this connection only, so dropped like
 * the fixed ones (RFC 9110 §7.6.1). Undefined when there is no Connection header (the usual case).
 */
function connectionTokens(raw: string[]): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length !== 10 || raw[i]!.toLowerCase() !== 'connection') continue;
    for (const token of raw[i + 1]!.split(',')) {
      const name = token.trim().toLowerCase();
      if (name) (names ??= new Set()).add(name);
    }
  }
  return names;
}

/** Headers the node itself sets toward the provider; the consumer's own are not passed on.
 * Accept-Encoding is the node's too: it must read the answer to check it against the contract. */
const SET_BY_NODE = new Set(['x-road-client', 'x-road-service', 'x-road-id', 'x-road-request-id', 'x-road-request-hash', 'accept-encoding',
  // Headers that make common frameworks run another method or path than the one authorised
  // (Laravel, Symfony, ASP.NET, Express method-override; IIS and Symfony URL rewriting).
  'x-http-method-override', 'x-http-method', 'x-method-override', 'x-original-url', 'x-rewrite-url', 'x-forwarded-prefix']);

/** More than one Content-Type: the node reads one, a provider may read another. */
export function repeatedContentType(raw: string[]): boolean {
  let seen = false;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length !== 12 || raw[i]!.toLowerCase() !== 'content-type') continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}

/**
 * The consumer's headers as they go to the provider, as a flat [name, value, ...] list: hop-by-hop
 * headers removed, and the X-Road headers the provider relies on set by the node.
 */
export function providerRequestHeaders(
  rawHeaders: string[],
  ex: { client?: string | undefined; serviceId: string; xroadId: string; requestId: string },
): string[] {
  const out: string[] = [];
  const named = connectionTokens(rawHeaders);
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || SET_BY_NODE.has(name) || named?.has(name)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  out.push('x-road-client', ex.client!, 'x-road-service', ex.serviceId, 'x-road-id', ex.xroadId, 'x-road-request-id', ex.requestId,
    'accept-encoding', 'identity');
  return out;
}

/** The provider's headers as they go back to the consumer, as a flat list. */
export function consumerResponseHeaders(raw: string[]): string[] {
  const out: string[] = [];
  const named = connectionTokens(raw);
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith('x-road-') || named?.has(name)) continue;
    out.push(name, raw[i + 1]!);
  }
  return out;
}

/** Removes every occurrence of the named headers from a flat list. */
export function withoutHeaders(list: string[], names: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < list.length; i += 2) if (!names.has(list[i]!.toLowerCase())) out.push(list[i]!, list[i + 1]!);
  return out;
}
