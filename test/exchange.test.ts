import { describe, expect, it } from 'vitest';
import { SERVICE, JUDICIARY, POLICE, useSeededNode } from './harness.ts';

const ctx = useSeededNode();

const person = `/r1/${SERVICE}/persons/0012345679`;

describe('an exchange through the node', () => {
  it('answers an allowed inquiry with the provider answer, minimised to the contract', async () => {
    const res = await ctx.t.http(person, { headers: { 'x-road-client': JUDICIARY } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی' });
    expect(res.headers['x-provider-header']).toBe('kept');
    expect(res.headers['x-road-client']).toBe(JUDICIARY);
    expect(res.headers['x-road-service']).toBe(SERVICE);
  });

  it('refuses a caller without an access right: deny by default', async () => {
    const res = await ctx.t.http(person, { headers: { 'x-road-client': POLICE } });
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    expect(res.json().type).toBe('Server.ServerProxy.AccessDenied');
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('lets a caller use the one endpoint it was granted', async () => {
    const res = await ctx.t.http(`/r1/${SERVICE}/verify`, {
      method: 'POST', headers: { 'x-road-client': POLICE, 'content-type': 'application/json' },
      body: JSON.stringify({ nationalCode: '0012345679', mobile: '09121234567' }),
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ matches: true });
  });
});
