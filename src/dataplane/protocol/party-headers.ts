// X-Road-Represented-Party and X-Road-Security-Server (PR-REST §4.3): optional, but when sent they
// must be well formed, as X-Road's RestRequest requires; a malformed one is refused rather than
// recorded or forwarded as if it meant something.
//   X-Road-Represented-Party: [CLASS/]CODE
//   X-Road-Security-Server:   INSTANCE/CLASS/MEMBER/SERVERCODE
// Each part is percent-encoded UTF-8 on its own, like every identifier part.
import { Errors, fail } from '../../errors/catalogue.ts';
import { decodeIdPart } from '../../identifiers/xroad-id.ts';

function checkParts(raw: string, counts: readonly number[], form: string): void {
  const parts = raw.split('/');
  if (!counts.includes(parts.length)) fail(Errors.BadRequest, form);
  for (const part of parts) decodeIdPart(part, Errors.BadRequest);
}

export function checkPartyHeaders(h: { representedParty: string | undefined; securityServer: string | undefined }): void {
  if (h.representedParty !== undefined) checkParts(h.representedParty, [1, 2], 'X-Road-Represented-Party must be [CLASS/]CODE');
  if (h.securityServer !== undefined) checkParts(h.securityServer, [4], 'X-Road-Security-Server must be INSTANCE/CLASS/MEMBER/SERVERCODE');
}
