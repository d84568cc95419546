// The bindings a certificate of the exchange CA carries, both ways: a client certificate is bound to
// a subsystem (SAN URI `xroad:INSTANCE/CLASS/MEMBER/SUBSYSTEM`), a node certificate to a node (SAN URI
// `urn:tabadol:node:NODE`, with serverAuth and clientAuth usages). A certificate carrying both kinds of
// binding is ambiguous and read as neither, so one can never pass as the other. Kept apart from the
// issuing code so the data plane reads peers without loading the CA's.
import type { PeerCertificate } from 'node:tls';
import { isValidPart, subsystemKey, type SubsystemId } from '../identifiers/xroad-id.ts';

const URI_PREFIX = 'xroad:';
/** RFC 8141 URN: the namespace is informal ("urn:tabadol"), the node id its last, percent-encoded, part. */
export const NODE_URI_PREFIX = 'urn:tabadol:node:';
/** RFC 5280 §4.2.1.12 id-kp-serverAuth and id-kp-clientAuth: a node certificate serves and calls. */
export const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';
export const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2';

/** The SAN URI that binds a certificate to a subsystem; parts are percent-encoded (SAN URIs are ASCII). */
export function subsystemUri(id: SubsystemId): string {
  return URI_PREFIX + [id.instance, id.memberClass, id.memberCode, id.subsystemCode].map(encodePart).join('/');
}

/**
 * The subsystem a peer certificate is bound to, or undefined. It does NOT check who issued the
 * certificate: callers must first require `socket.authorized` (chain verified against the CA).
 * Works on the string Node already built (`subjectaltname`), so no certificate is re-parsed.
 */
export function subsystemIdOfPeer(peer: PeerCertificate | undefined): string | undefined {
  const san: string | undefined = peer?.subjectaltname;
  if (!san || !san.includes(URI_PREFIX)) return undefined;
  const found = bindingOf(san, URI_PREFIX);
  return found === undefined ? undefined : decodeBinding(found);
}

/** The SAN URI that binds a certificate to a node. */
export function nodeUri(nodeId: string): string {
  return NODE_URI_PREFIX + encodePart(nodeId);
}

/**
 * The node a peer certificate is bound to, or undefined: exactly one node URI, no subsystem URI,
 * and both TLS usages. Like subsystemIdOfPeer, it does NOT check who issued the certificate: the
 * caller requires a chain verified against the exchange CA first.
 */
export function nodeIdOfPeer(peer: PeerCertificate | undefined): string | undefined {
  const san: string | undefined = peer?.subjectaltname;
  if (!san || !san.includes(NODE_URI_PREFIX) || san.includes(URI_PREFIX)) return undefined;
  const usages = peer?.ext_key_usage ?? [];
  if (!usages.includes(SERVER_AUTH_OID) || !usages.includes(CLIENT_AUTH_OID)) return undefined;
  const found = bindingOf(san, NODE_URI_PREFIX);
  if (found === undefined) return undefined;
  try {
    const id = decodeURIComponent(found);
    return isValidPart(id) ? id : undefined;
  } catch {
    return undefined; // malformed percent-encoding
  }
}

/** The one SAN URI starting with `prefix`, without it; undefined when there is none, or more than one,
 * or when the certificate also carries the other kind of binding. */
function bindingOf(san: string, prefix: string): string | undefined {
  let found: string | undefined;
  // Node separates names with ", " and escapes any comma inside a name, so the split is exact.
  for (const name of san.split(', ')) {
    if (!name.startsWith('URI:')) continue;
    const uri = name.startsWith('URI:"') ? unquote(name.slice(4)) : name.slice(4);
    if (uri === undefined) continue;
    // A subsystem binding beside a node binding (or the reverse): ambiguous, trust neither.
    if (uri.startsWith(prefix === URI_PREFIX ? NODE_URI_PREFIX : URI_PREFIX)) return undefined;
    if (!uri.startsWith(prefix)) continue;
    // Two bindings in one certificate is ambiguous; trust neither.
    if (found !== undefined) return undefined;
    found = uri.slice(prefix.length);
  }
  return found;
}

// Strict RFC 3986 unreserved set: also escapes !'()* so Node never has to quote the name.
function encodePart(part: string): string {
  return encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeBinding(path: string): string | undefined {
  const encoded = path.split('/');
  if (encoded.length !== 4) return undefined;
  try {
    const parts = encoded.map(decodeURIComponent);
    if (!parts.every(isValidPart)) return undefined;
    const [instance, memberClass, memberCode, subsystemCode] = parts as [string, string, string, string];
    return subsystemKey({ instance, memberClass, memberCode, subsystemCode });
  } catch {
    return undefined; // malformed percent-encoding
  }
}

/** Node writes a name holding a comma, quote or control character as a JSON string: `URI:"a\u002cb"`. */
function unquote(raw: string): string | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
