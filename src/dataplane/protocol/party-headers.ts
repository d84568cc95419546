// X-Road-Represented-Party and X-Road-Security-Server (PR-REST §4.3): optional, but when sent they
// must be well formed, as X-Road's RestRequest requires; a malformed one is refused rather than
// recorded or forwarded as if it meant something.
//   X-Road-Represented-Party: [CLASS/]CODE
//   X-Road-Security-Server:   INSTANCE/CLASS/MEMBER/SERVERCODE
// Each part is percent-encoded UTF-8 on its own, like every identifier part.
import { Errors, fail } from '../../errors/catalogue.ts';
import { isValidPart } from '../../identifiers/xroad-id.ts';

function validParts(raw: string, counts: readonly number[]): boolean {
  const parts = raw.split('/');
  if (!counts.includes(parts.length)) return false;
  for (const part of parts) {
    let value = part;
    try {
      if (part.includes('%')) value = decodeURIComponent(part);
    } catch {
      return false;
    }
    if (!isValidPart(value)) return false;
  }
  return true;
}

export function checkPartyHeaders(h: { representedParty: string | undefined; securityServer: string | undefined }): void {
  if (h.representedParty !== undefined && !validParts(h.representedParty, [1, 2])) {
    fail(Errors.BadRequest, 'X-Road-Represented-Party must be [CLASS/]CODE');
  }
  if (h.securityServer !== undefined && !validParts(h.securityServer, [4])) {
    fail(Errors.BadRequest, 'X-Road-Security-Server must be INSTANCE/CLASS/MEMBER/SERVERCODE');
  }
}
