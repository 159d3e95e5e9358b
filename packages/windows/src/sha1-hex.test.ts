import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deviceIdentity } from './device-identity.js';
import { sha1Hex } from './sha1-hex.js';

describe('sha1Hex', () => {
  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '84983e441c3bd26ebaae4aa1f95129e5e54670f1'],
  ])('hashes %j as in FIPS 180-4', (input, expected) => {
    expect(sha1Hex(input)).toBe(expected);
  });

  it('agrees with node:crypto on lengths around the block boundaries and on non-ASCII text', () => {
    for (const input of ['a'.repeat(55), 'b'.repeat(56), 'c'.repeat(64), 'd'.repeat(1000), 'pc-ü.example.com']) {
      expect(sha1Hex(input)).toBe(createHash('sha1').update(input, 'utf8').digest('hex'));
    }
  });

  it('derives the device id from the lower-cased computer name', () => {
    const a = deviceIdentity('WORKSTATION5.theshire.local');
    expect(a).toEqual({ DeviceName: 'workstation5.theshire.local', DeviceId: sha1Hex('workstation5.theshire.local') });
    expect(deviceIdentity('workstation5.THESHIRE.local')).toEqual(a);
  });
});
