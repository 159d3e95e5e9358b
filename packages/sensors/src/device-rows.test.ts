import { describe, expect, it } from 'vitest';
import {
  deviceInfoRow,
  networkInfoRow,
  parseDpkgQuery,
  parseOsRelease,
  parseProcNetRoute,
  parseResolvConf,
  parseRpmQuery,
  softwareInventoryRows,
} from './device-rows.js';

describe('device state parsers', () => {
  it('reads os-release', () => {
    const os = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n# c\n');
    expect(os).toEqual({ PRETTY_NAME: 'Debian GNU/Linux 12 (bookworm)', ID: 'debian', VERSION_ID: '12' });
    const row = deviceInfoRow('2026-01-01T00:00:00Z', {
      clientVersion: '0.1.0',
      osRelease: os,
      kernel: '6.1.0',
      arch: 'x64',
      loggedOnUsers: [],
      notes: { ProcessSource: 'ebpf' },
    });
    expect(row).toMatchObject({
      OSPlatform: 'Linux',
      OSDistribution: 'debian',
      OSVersion: '12',
      OSArchitecture: '64-bit',
    });
    expect(JSON.parse(row.AdditionalFields as string)).toMatchObject({ ProcessSource: 'ebpf', Kernel: '6.1.0' });
  });

  it('reads gateways, name servers and adapters', () => {
    const route =
      'Iface\tDestination\tGateway \tFlags\nens3\t00000000\t0102A8C0\t0003\nens3\t0002A8C0\t00000000\t0001\n';
    expect(parseProcNetRoute(route).get('ens3')).toEqual(['192.168.2.1']);
    expect(parseResolvConf('search x\nnameserver 1.1.1.1\n nameserver ::1\n')).toEqual(['1.1.1.1', '::1']);
    const row = networkInfoRow('2026-01-01T00:00:00Z', {
      name: 'ens3',
      mac: '52:54:00:aa:bb:cc',
      type: 1,
      operState: 'up',
      addresses: [{ address: '192.168.2.5', cidr: '192.168.2.5/24', family: 'IPv4' }],
      gateways: ['192.168.2.1'],
      dns: ['1.1.1.1'],
    });
    expect(row).toMatchObject({
      MacAddress: '52-54-00-AA-BB-CC',
      NetworkAdapterType: 'Ethernet',
      NetworkAdapterStatus: 'Up',
    });
    expect(JSON.parse(row.IPAddresses as string)).toEqual([
      { IPAddress: '192.168.2.5', SubnetPrefix: 24, AddressType: 'IPv4' },
    ]);
  });

  it('reads dpkg and rpm package lists', () => {
    const dpkg = parseDpkgQuery(
      'bash\t5.2.15-2+b7\tMatthias Klose <doko@debian.org>\tinstalled\nold\t1.0\tX <x@y>\tconfig-files\n',
    );
    expect(dpkg).toEqual([{ name: 'bash', version: '5.2.15-2+b7', vendor: 'Matthias Klose' }]);
    expect(parseRpmQuery('bash\t5.1.8-6.el9\tRed Hat, Inc.\ngpg-pubkey\tabc-1\t(none)\n')).toEqual([
      { name: 'bash', version: '5.1.8-6.el9', vendor: 'Red Hat, Inc.' },
      { name: 'gpg-pubkey', version: 'abc-1', vendor: '' },
    ]);
    expect(softwareInventoryRows(dpkg, { version: '12', arch: 'x64' })[0]).toMatchObject({
      Table: 'DeviceTvmSoftwareInventory',
      SoftwareName: 'bash',
      SoftwareVendor: 'Matthias Klose',
      OSPlatform: 'Linux',
    });
  });
});
