import { describe, expect, it } from 'vitest';
import { openRegistryStore } from '../store/database.ts';
import { ephemeralNodeKeys } from '../keys/node-keys.ts';
import { KEPT_SNAPSHOTS, latestSnapshot, publishSnapshot } from './publish.ts';
import { verifySnapshot } from './signature.ts';

describe('publishing snapshots', () => {
  it('numbers versions, signs each, and keeps only the recent ones', async () => {
    const store = await openRegistryStore(':memory:');
    const keys = ephemeralNodeKeys();
    const o = { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date('2026-11-28T00:00:00Z') };
    for (let i = 0; i < KEPT_SNAPSHOTS + 5; i++) await publishSnapshot(store.db, o);
    const versions = (await store.db.selectFrom('snapshots').select('version').orderBy('version').execute()).map((r) => r.version);
    expect(versions).toEqual(Array.from({ length: KEPT_SNAPSHOTS }, (_, i) => i + 6));
    const latest = (await latestSnapshot(store.db))!;
    const doc = verifySnapshot(latest, keys.verifyKey);
    expect(doc).toMatchObject({ version: KEPT_SNAPSHOTS + 5, validUntil: '2026-11-28T01:00:00.000Z', instance: 'IR' });
    expect(() => verifySnapshot({ ...latest, document: latest.document.replace('"IR"', '"XX"') }, keys.verifyKey)).toThrow(/signature/);
    await store.close();
  });
});
