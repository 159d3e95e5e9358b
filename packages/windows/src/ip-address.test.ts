import { describe, expect, it } from 'vitest';
import { canonicalIp, ipAddressType } from './ip-address.js';

describe('IP addresses', () => {
  it.each([
    ['0:0:0:0:0:0:0:1', '::1'],
    ['fe80:0:0:0:3b31:a8fa:5adc:7b9e', 'fe80::3b31:a8fa:5adc:7b9e'],
    ['2001:7fd:0:0:0:0:0:1', '2001:7fd::1'],
    ['2001:DB8:0:1:0:0:1:0', '2001:db8:0:1::1:0'],
    ['1:0:2:0:3:0:4:0', '1:0:2:0:3:0:4:0'],
    ['10.0.0.1', '10.0.0.1'],
    ['::ffff:10.0.0.1', '::ffff:10.0.0.1'],
    ['not an ip', 'not an ip'],
  ])('writes %s as %s', (input, expected) => {
    expect(canonicalIp(input)).toBe(expected);
  });

  it.each([
    ['8.8.8.8', 'Public'],
    ['10.1.2.3', 'Private'],
    ['172.18.39.5', 'Private'],
    ['192.168.1.1', 'Private'],
    ['127.0.0.1', 'Loopback'],
    ['255.255.255.255', 'Broadcast'],
    ['169.254.1.1', 'Reserved'],
    ['224.0.0.251', 'Reserved'],
    ['::1', 'Loopback'],
    ['fe80::1', 'Reserved'],
    ['fd00::1', 'Private'],
    ['2001:0:4136:e378::1', 'Teredo'],
    ['::ffff:8.8.8.8', 'FourToSixMapping'],
    ['2001:7fd::1', 'Public'],
    ['x', undefined],
  ])('classifies %s as %s', (ip, type) => {
    expect(ipAddressType(ip)).toBe(type);
  });
});
