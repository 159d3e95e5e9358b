import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../test-support/harness.js';

describe('saved and shared hunting queries (/api/queries)', () => {
  let h: Harness;
  let admin: string;
  let alice: string;
  let bob: string;
  let viewer: string;

  beforeAll(async () => {
    h = await startHarness();
    admin = await h.login('default', 'admin', h.adminPassword);
    for (const [name, role] of [
      ['alice', 'analyst'],
      ['bob', 'analyst'],
      ['vera', 'viewer'],
    ]) {
      const r = await h.call('POST', '/api/users', admin, { name, role, password: `${name}-password-1` });
      expect(r.status).toBe(201);
    }
    alice = await h.login('default', 'alice', 'alice-password-1');
    bob = await h.login('default', 'bob', 'bob-password-1');
    viewer = await h.login('default', 'vera', 'vera-password-1');
  });
  afterAll(() => h.stop());

  const names = async (token: string) =>
    ((await h.call('GET', '/api/queries', token)).json.value as { name: string }[]).map((q) => q.name);

  it('keeps a private query to its owner and shows a shared one to the whole tenant', async () => {
    const mine = await h.call('POST', '/api/queries', alice, {
      name: 'my curl',
      query: 'DeviceProcessEvents | take 1',
    });
    expect(mine.status).toBe(201);
    expect(mine.json).toMatchObject({ name: 'my curl', shared: false, owner: 'alice', description: '' });
    const team = await h.call('POST', '/api/queries', alice, {
      name: 'team logons',
      query: 'DeviceLogonEvents | take 10',
      shared: true,
      description: 'for the morning review',
    });
    expect(team.status).toBe(201);

    expect(await names(alice)).toEqual(['my curl', 'team logons']);
    expect(await names(bob)).toEqual(['team logons']);
    expect(await names(viewer)).toEqual(['team logons']);
    expect((await h.call('GET', `/api/queries/${team.json.id}`, viewer)).json.description).toBe(
      'for the morning review',
    );
    // Someone else's private query answers like a missing one.
    const hidden = await h.call('GET', `/api/queries/${mine.json.id}`, bob);
    expect(hidden.status).toBe(404);
    expect(hidden.json.error.code).toBe('QUERY_UNKNOWN');
    expect((await h.call('PUT', `/api/queries/${mine.json.id}`, bob, { name: 'x' })).status).toBe(404);
    expect((await h.call('DELETE', `/api/queries/${mine.json.id}`, bob)).status).toBe(404);

    const page = await h.call('GET', '/api/queries?$top=1&$skip=1', alice);
    expect(page.json).toMatchObject({ total: 2, value: [{ name: 'team logons' }] });
  });

  it('lets viewers read but not write, and refuses bad bodies with the field at fault', async () => {
    const r = await h.call('POST', '/api/queries', viewer, { name: 'v', query: 'DeviceInfo' });
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('AUTH_FORBIDDEN');
    for (const [body, field] of [
      [{ query: 'DeviceInfo' }, 'name'],
      [{ name: 'n', query: '   ' }, 'query'],
      [{ name: 'n', query: 'DeviceInfo', shared: 'yes' }, 'shared'],
      [{ name: 'n', query: 'DeviceInfo', description: 3 }, 'description'],
    ] as const) {
      const bad = await h.call('POST', '/api/queries', alice, body);
      expect(bad.status).toBe(400);
      expect(bad.json.error).toMatchObject({ code: 'QUERY_INVALID', field });
    }
  });

  it('lets analysts edit a shared query, and only its owner or an admin share, unshare or delete it', async () => {
    const created = await h.call('POST', '/api/queries', bob, {
      name: 'dns',
      query: 'DeviceNetworkEvents',
      shared: true,
    });
    const id = created.json.id as string;
    const edited = await h.call('PUT', `/api/queries/${id}`, alice, { query: 'DeviceNetworkEvents | take 5' });
    expect(edited.status).toBe(200);
    expect(edited.json).toMatchObject({ owner: 'bob', lastUpdatedBy: 'alice', shared: true, name: 'dns' });
    expect((await h.call('GET', `/api/queries/${id}`, bob)).json.query).toBe('DeviceNetworkEvents | take 5');

    const unshare = await h.call('PUT', `/api/queries/${id}`, alice, { shared: false });
    expect(unshare.status).toBe(403);
    expect(unshare.json.error.code).toBe('QUERY_FORBIDDEN');
    expect((await h.call('DELETE', `/api/queries/${id}`, alice)).status).toBe(403);
    expect((await h.call('PUT', `/api/queries/${id}`, viewer, { name: 'v' })).status).toBe(403);

    expect((await h.call('PUT', `/api/queries/${id}`, bob, { shared: false })).json.shared).toBe(false);
    expect(await names(alice)).not.toContain('dns');
    expect((await h.call('PUT', `/api/queries/${id}`, bob, { shared: true })).status).toBe(200);
    expect((await h.call('DELETE', `/api/queries/${id}`, admin)).status).toBe(204);
    expect((await h.call('GET', `/api/queries/${id}`, bob)).status).toBe(404);
    expect(await names(bob)).not.toContain('dns');
  });
});
