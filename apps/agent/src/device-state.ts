import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { arch, networkInterfaces, release } from 'node:os';
import { join } from 'node:path';
import {
  type AdapterFacts,
  type DeviceFacts,
  deviceInfoRow,
  loggedOnUsers,
  networkInfoRow,
  parseDpkgQuery,
  parseOsRelease,
  parseProcNetRoute,
  parseResolvConf,
  parseRpmQuery,
  type SoftwarePackage,
  softwareInventoryRows,
} from '@vigil/sensors';
import { readUtmpUsers } from './logon-sensor.js';
import type { Telemetry } from './telemetry.js';

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The device facts of DeviceInfo. */
export function readDeviceFacts(clientVersion: string, notes: Record<string, unknown>): DeviceFacts {
  return {
    clientVersion,
    osRelease: parseOsRelease(readText('/etc/os-release') || readText('/usr/lib/os-release')),
    kernel: release(),
    arch: arch(),
    loggedOnUsers: loggedOnUsers(readUtmpUsers()),
    notes,
  };
}

/** The network adapters, from os.networkInterfaces() and /sys/class/net. */
export function readAdapters(): AdapterFacts[] {
  const ifs = networkInterfaces();
  const gateways = parseProcNetRoute(readText('/proc/net/route'));
  const dns = parseResolvConf(readText('/etc/resolv.conf'));
  const names = new Set<string>(Object.keys(ifs));
  if (existsSync('/sys/class/net')) for (const n of readdirSync('/sys/class/net')) names.add(n);
  return [...names].sort().map((name) => {
    const sys = `/sys/class/net/${name}`;
    const addrs = ifs[name] ?? [];
    const type = Number(readText(`${sys}/type`).trim());
    return {
      name,
      mac: readText(`${sys}/address`).trim() || addrs[0]?.mac || '',
      ...(Number.isFinite(type) && readText(`${sys}/type`) ? { type } : {}),
      wireless: existsSync(`${sys}/wireless`),
      operState: readText(`${sys}/operstate`).trim(),
      addresses: addrs.map((a) => ({ address: a.address, cidr: a.cidr, family: String(a.family) })),
      gateways: gateways.get(name) ?? [],
      dns: name === 'lo' ? [] : dns,
    };
  });
}

// dpkg-query's own ${Field} syntax, not a template string.
const DPKG_FORMAT = ['$', '{Package}\t$', '{Version}\t$', '{Maintainer}\t$', '{db:Status-Status}\n'].join('');

/** Installed packages from dpkg and rpm, when present. */

export function readPackages(): SoftwarePackage[] {
  const out: SoftwarePackage[] = [];
  const dpkg = spawnSync('dpkg-query', ['-W', '-f', DPKG_FORMAT], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (dpkg.status === 0) out.push(...parseDpkgQuery(dpkg.stdout));
  const rpm = spawnSync('rpm', ['-qa', '--qf', '%{NAME}\t%{VERSION}-%{RELEASE}\t%{VENDOR}\n'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (rpm.status === 0) out.push(...parseRpmQuery(rpm.stdout));
  return out;
}

const digest = (v: unknown) => createHash('sha256').update(JSON.stringify(v)).digest('hex');

/** DeviceInfo and DeviceNetworkInfo on every heartbeat and on change; the software inventory on change. */
export class DeviceStateSensor {
  private lastInfo = '';
  private lastNet = '';
  private lastBeat = 0;
  private readonly inventoryStamp: string;

  constructor(
    private readonly telemetry: Telemetry,
    private readonly clientVersion: string,
    private readonly notes: () => Record<string, unknown>,
    dataDir: string,
    private readonly heartbeatMs: number,
  ) {
    this.inventoryStamp = join(dataDir, 'inventory.sha256');
  }

  /** Checks for changes; reports in full when a heartbeat is due. Returns the tables written. */
  check(now = Date.now()): string[] {
    const written: string[] = [];
    const beat = now - this.lastBeat >= this.heartbeatMs;
    const facts = readDeviceFacts(this.clientVersion, this.notes());
    const info = digest({ ...facts, notes: { ...facts.notes, uploads: undefined } });
    if (beat || info !== this.lastInfo) {
      this.telemetry.emit([deviceInfoRow(this.telemetry.now(), facts)]);
      written.push('DeviceInfo');
    }
    const adapters = readAdapters();
    const net = digest(adapters);
    if (beat || net !== this.lastNet) {
      const t = this.telemetry.now();
      this.telemetry.emit(adapters.map((a) => networkInfoRow(t, a)));
      written.push('DeviceNetworkInfo');
    }
    this.lastInfo = info;
    this.lastNet = net;
    if (beat) this.lastBeat = now;
    return written;
  }

  /** Sends the software inventory when it differs from the last one sent (kept across restarts). */
  inventory(): number {
    const packages = readPackages();
    if (packages.length === 0) return 0;
    const sum = digest(packages);
    if (readText(this.inventoryStamp).trim() === sum) return 0;
    const os = parseOsRelease(readText('/etc/os-release'));
    this.telemetry.emit(softwareInventoryRows(packages, { version: os.VERSION_ID ?? '', arch: arch() }));
    writeFileSync(this.inventoryStamp, `${sum}\n`, { mode: 0o600 });
    return packages.length;
  }
}
