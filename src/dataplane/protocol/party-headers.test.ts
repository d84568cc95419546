// X-Road-Represented-Party ([CLASS/]CODE) and X-Road-Security-Server (INSTANCE/CLASS/MEMBER/CODE):
// optional, but when sent they must be well formed (PR-REST §4.3), each part percent-decoded on its own.
import { describe, expect, it } from 'vitest';
import { isTabadolError } from '../../errors/catalogue.ts';
import { checkPartyHeaders } from './party-headers.ts';

function refused(h: { representedParty?: string; securityServer?: string }): string | undefined {
  try {
    checkPartyHeaders({ representedParty: h.representedParty, securityServer: h.securityServer });
  } catch (e) {
    return isTabadolError(e) ? e.type : `uncoded: ${String(e)}`;
  }
  return undefined;
}

describe('checkPartyHeaders', () => {
  it('accepts absent headers and well-formed ones, escapes decoded per part', () => {
    for (const h of [{}, { representedParty: 'COM/10101010101' }, { representedParty: '10101010101' }, { representedParty: 'COM/Saman%2DBank' },
      { securityServer: 'IR/GOV/NOCR/ss1' }, { securityServer: 'IR/GOV/NOCR/ss%31' }]) {
      expect(refused(h), JSON.stringify(h)).toBeUndefined();
    }
  });

  it('refuses a malformed X-Road-Represented-Party with Client.BadRequest', () => {
    for (const representedParty of ['', 'A/B/C', 'COM/', '/123', 'COM/12%2F3', 'COM/%E0', 'COM/12 3', 'COM/..', 'COM/کد']) {
      expect(refused({ representedParty }), representedParty).toBe('Client.BadRequest');
    }
  });

  it('refuses a malformed X-Road-Security-Server with Client.BadRequest', () => {
    for (const securityServer of ['', 'IR/GOV/NOCR', 'IR/GOV/NOCR/ss1/x', 'IR/GOV//ss1', 'IR/GOV/NOCR/ss%2F1', 'IR/GOV/NOCR/%']) {
      expect(refused({ securityServer }), securityServer).toBe('Client.BadRequest');
    }
  });
});
