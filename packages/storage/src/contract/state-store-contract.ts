import { describe, expect, it } from 'vitest';
import type { CredentialRecord, DeviceRecord, StateStore } from '../state-store.js';

/** A fresh, empty state store and a way to dispose of it. */
export interface StateStoreFixture {
  readonly store: StateStore;
  dispose(): Promise<void>;
}

const t0 = new Date('2026-11-01T00:00:00.000Z');

const credential = (id: string, usesLeft: number | null = null): CredentialRecord => ({
  id,
  kind: 'enroll',
  name: 'n',
  role: null,
  userName: null,
  secretHash: 'ab',
  createdAt: t0,
  expiresAt: null,
  revokedAt: null,
  lastUsedAt: null,
  usesLeft,
});

const device = (id: string): DeviceRecord => ({
  id,
  name: 'host',
  osPlatform: 'Linux',
  secretHash: 'cd',
  enrollCredentialId: 'c1',
  enrolledAt: t0,
  lastSeenAt: null,
  revokedAt: null,
});

/** The behaviour every StateStore adapter must have; run it from each adapter's tests. */
export function stateStoreContract(name: string, open: () => Promise<StateStoreFixture>): void {
  describe(`StateStore contract: ${name}`, () => {
    const withStore = (fn: (s: StateStore) => Promise<void>) => async () => {
      const f = await open();
      try {
        await fn(f.store);
      } finally {
        await f.dispose();
      }
    };

    it(
      'keeps settings and users',
      withStore(async (s) => {
        expect(await s.getSetting('x')).toBeUndefined();
        await s.setSetting('x', '1');
        await s.setSetting('x', '2');
        expect(await s.getSetting('x')).toBe('2');
        await s.putUser({ name: 'ann', role: 'viewer', passwordHash: 'h', createdAt: t0, disabled: false });
        await s.putUser({ name: 'ann', role: 'admin', passwordHash: 'h2', createdAt: t0, disabled: false });
        expect(await s.getUser('ann')).toEqual({
          name: 'ann',
          role: 'admin',
          passwordHash: 'h2',
          createdAt: t0,
          disabled: false,
        });
        expect((await s.listUsers()).length).toBe(1);
        expect(await s.deleteUser('ann')).toBe(true);
        expect(await s.deleteUser('ann')).toBe(false);
      }),
    );

    it(
      'keeps credentials with their dates and patches',
      withStore(async (s) => {
        await s.insertCredential(credential('c1'));
        expect(await s.getCredential('c1')).toEqual(credential('c1'));
        const when = new Date('2026-11-02T03:04:05.678Z');
        expect(await s.updateCredential('c1', { revokedAt: when, lastUsedAt: when })).toBe(true);
        expect(await s.getCredential('c1')).toMatchObject({ revokedAt: when, lastUsedAt: when });
        expect(await s.updateCredential('nope', { revokedAt: when })).toBe(false);
        expect((await s.listCredentials('enroll')).map((c) => c.id)).toEqual(['c1']);
        expect(await s.listCredentials('api')).toEqual([]);
      }),
    );

    it(
      'counts uses of a limited credential down to zero, atomically',
      withStore(async (s) => {
        await s.insertCredential(credential('lim', 2));
        await s.insertCredential(credential('free'));
        const takes = await Promise.all([1, 2, 3, 4].map(() => s.takeCredentialUse('lim')));
        expect(takes.filter(Boolean).length).toBe(2);
        expect(await s.takeCredentialUse('free')).toBe(true);
        expect(await s.takeCredentialUse('missing')).toBe(false);
      }),
    );

    it(
      'keeps documents and finds them by field, array element, order and page',
      withStore(async (s) => {
        const alert = (id: string, severity: string, time: string, techniques: string[]) => ({
          id,
          severity,
          time,
          techniques,
        });
        await s.putDocument('alerts', 'a1', alert('a1', 'High', '2026-11-02', ['T1059', 'T1003']));
        await s.putDocument('alerts', 'a2', alert('a2', 'Low', '2026-11-03', ['T1059']));
        await s.putDocument('alerts', 'a3', alert('a3', 'High', '2026-11-01', []));
        await s.putDocument('other', 'a1', { id: 'x' });
        expect(await s.getDocument('alerts', 'a2')).toEqual(alert('a2', 'Low', '2026-11-03', ['T1059']));
        const high = await s.listDocuments('alerts', {
          where: { severity: 'High' },
          orderBy: { field: 'time', desc: true },
        });
        expect(high.items.map((d) => d.id)).toEqual(['a1', 'a3']);
        expect(high.total).toBe(2);
        const t = await s.listDocuments('alerts', { contains: { techniques: 'T1059' }, orderBy: { field: 'time' } });
        expect(t.items.map((d) => d.id)).toEqual(['a1', 'a2']);
        const page = await s.listDocuments('alerts', {
          where: { severity: ['High', 'Low'] },
          orderBy: { field: 'time' },
          limit: 1,
          offset: 1,
        });
        expect(page).toEqual({ items: [alert('a1', 'High', '2026-11-02', ['T1059', 'T1003'])], total: 3 });
        expect(await s.deleteDocument('alerts', 'a1')).toBe(true);
        expect(await s.getDocument('alerts', 'a1')).toBeUndefined();
        expect((await s.listDocuments('other')).total).toBe(1);
      }),
    );

    it(
      'keeps devices',
      withStore(async (s) => {
        await s.insertDevice(device('d1'));
        expect(await s.getDevice('d1')).toEqual(device('d1'));
        const when = new Date('2026-11-03T00:00:00.000Z');
        expect(await s.updateDevice('d1', { lastSeenAt: when, name: 'renamed' })).toBe(true);
        expect(await s.getDevice('d1')).toMatchObject({ lastSeenAt: when, name: 'renamed' });
        expect((await s.listDevices()).length).toBe(1);
        expect(await s.getDevice('d2')).toBeUndefined();
      }),
    );
  });
}
