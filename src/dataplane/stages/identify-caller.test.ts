// The identify-caller stage: who is calling is the subsystem in X-Road-Client, registered, and over
// TLS the one the client certificate is bound to, with a certificate not revoked. Nothing is learned
// about a caller it refuses.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../exchange.ts';
import { BANK, exchange, JUDICIARY, POLICE, refusal, runtimeSnapshot, STRANGER } from '../test-kit.ts';
import { identifyCaller } from './identify-caller.ts';

const stage = identifyCaller();
const tls = (o: Partial<NonNullable<Exchange['tls']>> = {}): Exchange['tls'] =>
  ({ authorized: true, subsystem: JUDICIARY, serial: '7F00', reason: undefined, ...o });

describe('identify-caller stage', () => {
  it('names the caller by the registered subsystem in X-Road-Client', async () => {
    const ex = exchange({ clientHeader: JUDICIARY });
    expect(await refusal(() => stage.run(ex))).toBeUndefined();
    expect(ex.client).toBe(JUDICIARY);
  });

  it('decodes each part of X-Road-Client on its own (PR-REST §4.3)', async () => {
    const ex = exchange({ clientHeader: 'IR/GOV/JUDICIARY/case%2Dmanagement' });
    expect(await refusal(() => stage.run(ex))).toBeUndefined();
    expect(ex.client).toBe(JUDICIARY);
  });

  it('refuses a missing or malformed X-Road-Client with Client.InvalidClientIdentifier', async () => {
    for (const clientHeader of [undefined, '', 'IR/GOV/JUDICIARY', 'IR/GOV/JUDICIARY/case-management/extra', 'IR/GOV/JUDICIARY/case%2Fmanagement',
      'IR/GOV/JUDICIARY/case%E0', 'IR/GOV/JUDICIARY/case management', 'IR/GOV/JUDICIARY/..']) {
      const ex = exchange({ clientHeader });
      expect(await refusal(() => stage.run(ex)), String(clientHeader)).toBe('Client.InvalidClientIdentifier');
      expect(ex.client).toBeUndefined();
    }
  });

  it('refuses a well-formed subsystem that is not registered with Client.UnknownMember', async () => {
    const ex = exchange({ clientHeader: STRANGER });
    expect(await refusal(() => stage.run(ex))).toBe('Client.UnknownMember');
    expect(ex.client).toBeUndefined();
    // Identifiers are case-sensitive: another spelling is another subsystem.
    expect(await refusal(() => stage.run(exchange({ clientHeader: JUDICIARY.toLowerCase() })))).toBe('Client.UnknownMember');
  });

  describe('over TLS', () => {
    it('accepts a valid certificate bound to the subsystem in X-Road-Client', async () => {
      const ex = exchange({ clientHeader: JUDICIARY, tls: tls() });
      expect(await refusal(() => stage.run(ex))).toBeUndefined();
      expect(ex.client).toBe(JUDICIARY);
    });

    it('refuses with Client.SslAuthenticationFailed a certificate not issued by this exchange, or none', async () => {
      const ex = exchange({ tls: tls({ authorized: false, subsystem: undefined, reason: 'no client certificate was presented' }) });
      expect(await refusal(() => stage.run(ex))).toBe('Client.SslAuthenticationFailed');
      expect(ex.client).toBeUndefined();
    });

    it('refuses a certificate bound to another subsystem than X-Road-Client names, or to none', async () => {
      // The police's certificate cannot speak for the judiciary, though both are registered.
      expect(await refusal(() => stage.run(exchange({ clientHeader: JUDICIARY, tls: tls({ subsystem: POLICE }) })))).toBe('Client.SslAuthenticationFailed');
      expect(await refusal(() => stage.run(exchange({ clientHeader: JUDICIARY, tls: tls({ subsystem: undefined }) })))).toBe('Client.SslAuthenticationFailed');
      // Bound to the decoded subsystem, matched after decoding.
      expect(await refusal(() => stage.run(exchange({ clientHeader: 'IR/GOV/JUDICIARY/case%2Dmanagement', tls: tls() })))).toBeUndefined();
    });

    it('refuses a certificate whose serial the snapshot revokes, on every request', async () => {
      const ex = exchange({ clientHeader: BANK, tls: tls({ subsystem: BANK, serial: '0A1B2C' }) });
      expect(await refusal(() => stage.run(ex))).toBe('Client.SslAuthenticationFailed');
      expect(ex.client).toBeUndefined();
      // The same connection's next request, on a snapshot that no longer revokes it, goes through.
      const unrevoked = runtimeSnapshot((d) => { d.revokedSerials = []; });
      expect(await refusal(() => stage.run(exchange({ snapshot: unrevoked, clientHeader: BANK, tls: tls({ subsystem: BANK, serial: '0A1B2C' }) })))).toBeUndefined();
    });

    it('reads a snapshot published before revocation existed as revoking nothing', async () => {
      const old = runtimeSnapshot((d) => { delete d.revokedSerials; });
      expect(await refusal(() => stage.run(exchange({ snapshot: old, tls: tls({ serial: '0A1B2C' }) })))).toBeUndefined();
    });

    it('refuses a certified subsystem that is no longer registered', async () => {
      const removed = runtimeSnapshot((d) => { d.subsystems = d.subsystems.filter((s) => s.id !== JUDICIARY); });
      expect(await refusal(() => stage.run(exchange({ snapshot: removed, tls: tls() })))).toBe('Client.UnknownMember');
    });
  });
});
