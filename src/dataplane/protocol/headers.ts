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
}

/**
 * Reads the X-Road headers from the raw header list. When a header is repeated the last one wins,
 * which Node's joined `req.headers` cannot tell.
 */
export function readXRoadHeaders(rawHeaders: string[]): XRoadRequestHeaders {
  const h: XRoadRequestHeaders = { client: undefined, id: undefined, userId: undefined, issue: undefined, representedParty: undefined, securityServer: undefined };
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length < 7 || (name.charCodeAt(0) | 32) !== 120 /* x */) continue;
    switch (name.toLowerCase()) {
      case 'x-road-client': h.client = rawHeaders[i + 1]; break;
      case 'x-road-id': h.id = rawHeaders[i + 1]; break;
      case 'x-road-userid': h.userId = rawHeaders[i + 1]; break;
      case 'x-road-issue': h.issue = rawHeaders[i + 1]; break;
      case 'x-road-represented-party': h.representedParty = rawHeaders[i + 1]; break;
      case 'x-road-security-server': h.securityServer = rawHeaders[i + 1]; break;
    }
  }
  return h;
}

/**
 * X-Road-Request-Hash = base64(SHA-512(SHA-512(headers) ‖ SHA-512(body))). The headers are hashed
 * as received, one `name: value\r\n` line each with the name lower-cased, in the order sent.
 */
// One-shot hashing: creating a Hash object costs more than hashing a small message.
const EMPTY_BODY_HASH = hash('sha512', '', 'buffer');

export function requestHash(rawHeaders: string[], body: Buffer): { requestHash: string; bodyHash: Buffer } {
  let text = '';
  for (let i = 0; i < rawHeaders.length; i += 2) text += `${rawHeaders[i]!.toLowerCase()}: ${rawHeaders[i + 1]}\r\n`;
  const headersHash = hash('sha512', text, 'buffer');
  // Most inquiries are GETs without a body: its hash is a constant.
  const bodyHash = body.length === 0 ? EMPTY_BODY_HASH : hash('sha512', body, 'buffer');
  return { requestHash: hash('sha512', Buffer.concat([headersHash, bodyHash], 128), 'base64'), bodyHash };
}

/** Headers the node itself sets toward the provider; the consumer's own are not passed on.
 * Accept-Encoding is the node's too: it must read the answer to check it against the contract. */
const SET_BY_NODE = new Set(['x-road-client', 'x-road-service', 'x-road-id', 'x-road-request-id', 'x-road-request-hash', 'accept-encoding']);

/**
 * The consumer's headers as they go to the provider, as a flat [name, value, ...] list: hop-by-hop
 * headers removed, and the X-Road headers the provider relies on set by the node.
 */
export function providerRequestHeaders(
  rawHeaders: string[],
  ex: { client?: string | undefined; serviceId: string; xroadId: string; requestId: string },
): string[] {
  const out: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || SET_BY_NODE.has(name)) continue;
    out.push(name, rawHeaders[i + 1]!);
  }
  out.push('x-road-client', ex.client!, 'x-road-service', ex.serviceId, 'x-road-id', ex.xroadId, 'x-road-request-id', ex.requestId,
    'accept-encoding', 'identity');
  return out;
}

/** The provider's headers as they go back to the consumer, as a flat list. */
export function consumerResponseHeaders(raw: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    if (HOP_BY_HOP.has(name) || name.startsWith('x-road-')) continue;
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
