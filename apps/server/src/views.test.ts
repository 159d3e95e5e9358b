import type { DeviceRecord } from '@vigil/storage';
import { describe, expect, it } from 'vitest';
import { healthStatus } from './views.js';

const device = (over: Partial<DeviceRecord>): DeviceRecord => ({
  id: 'd',
  name: 'h',
  osPlatform: 'Linux',
  secretHash: 'x',
  enrollCredentialId: 'c',
  enrolledAt: new Date('2026-11-01T00:00:00Z'),
  lastSeenAt: null,
  revokedAt: null,
  ...over,
});

describe('healthStatus', () => {
  const now = new Date('2026-11-29T12:00:00Z');
  it('follows how long the device has been silent', () => {
    expect(healthStatus(device({ lastSeenAt: new Date('2026-11-29T11:59:30Z') }), now)).toBe('Active');
    expect(healthStatus(device({ lastSeenAt: new Date('2026-11-29T10:00:00Z') }), now)).toBe('ImpairedCommunication');
    expect(healthStatus(device({ lastSeenAt: new Date('2026-11-20T12:00:00Z') }), now)).toBe('Inactive');
    expect(healthStatus(device({}), now)).toBe('Inactive');
    expect(healthStatus(device({ lastSeenAt: now, revokedAt: now }), now)).toBe('Inactive');
  });
});
