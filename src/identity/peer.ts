// The binding between a client certificate and a subsystem (SAN URI `xroad:INSTANCE/CLASS/MEMBER/SUBSYSTEM`),
// both ways. Kept apart from the issuing code so the data plane reads peers without loading the CA's.
import type { PeerCertificate } from 'node:tls';
import { isValidPart, subsystemKey, type SubsystemId } from '../identifiers/xroad-id.ts';

const URI_PREFIX = 'xroad:';

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
  let found: string | undefined;
  // Node separates names with ", " and escapes any comma inside a name, so the split is exact.
  for (const name of san.split(', ')) {
    if (!name.startsWith('URI:')) continue;
    const uri = name.startsWith('URI:"') ? unquote(name.slice(4)) : name.slice(4);
    if (!uri?.startsWith(URI_PREFIX)) continue;
    // Two bindings in one certificate is ambiguous; trust neither.
    if (found !== undefined) return undefined;
    found = uri.slice(URI_PREFIX.length);
  }
  return found === undefined ? undefined : decodeBinding(found);
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
