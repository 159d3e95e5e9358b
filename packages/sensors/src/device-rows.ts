import type { SensorRow } from './process-row.js';

/** Parses /etc/os-release (KEY=value lines, values optionally quoted). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2] ?? '';
    if (/^(["']).*\1$/.test(v)) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    out[m[1] as string] = v;
  }
  return out;
}

/** What the agent knows of its device for DeviceInfo. */
export interface DeviceFacts {
  readonly clientVersion: string;
  readonly osRelease: Readonly<Record<string, string>>;
  /** uname -r */
  readonly kernel: string;
  /** node's os.arch(): x64, arm64, ... */
  readonly arch: string;
  readonly loggedOnUsers: readonly { UserName: string; DomainName: string; Sid: string }[];
  readonly notes: Readonly<Record<string, unknown>>;
}

/** OSArchitecture as Defender writes it. */
export function osArchitecture(arch: string): string {
  if (arch === 'x64' || arch === 'arm64' || arch === 'ppc64' || arch === 's390x') return '64-bit';
  return '32-bit';
}

/** A DeviceInfo row (a heartbeat or a change). */
export function deviceInfoRow(timestamp: string, f: DeviceFacts): SensorRow {
  const os = f.osRelease;
  return {
    Table: 'DeviceInfo',
    Timestamp: timestamp,
    ClientVersion: f.clientVersion,
    OSArchitecture: osArchitecture(f.arch),
    OSPlatform: 'Linux',
    OSVersion: os.VERSION_ID ?? '',
    OSDistribution: os.ID ?? '',
    OSVersionInfo: os.PRETTY_NAME ?? '',
    LoggedOnUsers: JSON.stringify(f.loggedOnUsers),
    OnboardingStatus: 'Onboarded',
    SensorHealthState: 'Active',
    DeviceCategory: 'Endpoint',
    AdditionalFields: JSON.stringify({ Kernel: f.kernel, Arch: f.arch, ...f.notes }),
  };
}

/** One network adapter as the agent reads it. */
export interface AdapterFacts {
  readonly name: string;
  readonly mac: string;
  /** ARPHRD type from /sys/class/net/NAME/type (1 Ethernet, 772 loopback, ...). */
  readonly type?: number;
  readonly wireless?: boolean;
  /** operstate: up, down, unknown, ... */
  readonly operState?: string;
  readonly addresses: readonly { address: string; cidr: string | null; family: string }[];
  readonly gateways: readonly string[];
  readonly dns: readonly string[];
}

function adapterType(a: AdapterFacts): string {
  if (a.type === 772) return 'Loopback';
  if (a.wireless) return 'Wireless80211';
  if (a.type === 65534 || a.type === 768 || a.type === 776) return 'Tunnel';
  if (a.type === 1) return 'Ethernet';
  return 'Unknown';
}

function adapterStatus(a: AdapterFacts): string {
  const s = a.operState ?? '';
  if (s === 'up' || (s === 'unknown' && a.addresses.length > 0)) return 'Up';
  if (s === 'down' || s === 'lowerlayerdown') return 'Down';
  if (s === 'dormant') return 'Dormant';
  if (s === 'notpresent') return 'NotPresent';
  return 'Unknown';
}

/** A DeviceNetworkInfo row for one adapter. */
export function networkInfoRow(timestamp: string, a: AdapterFacts): SensorRow {
  return {
    Table: 'DeviceNetworkInfo',
    Timestamp: timestamp,
    NetworkAdapterName: a.name,
    MacAddress: a.mac.toUpperCase().replaceAll(':', '-'),
    NetworkAdapterType: adapterType(a),
    NetworkAdapterStatus: adapterStatus(a),
    IPAddresses: JSON.stringify(
      a.addresses.map((x) => ({
        IPAddress: x.address,
        SubnetPrefix: x.cidr ? Number(x.cidr.split('/')[1]) : null,
        AddressType: x.family === 'IPv6' || x.family === '6' ? 'IPv6' : 'IPv4',
      })),
    ),
    DefaultGateways: JSON.stringify(a.gateways),
    DnsAddresses: JSON.stringify(a.dns),
  };
}

/** Default gateways per interface from the text of /proc/net/route. */
export function parseProcNetRoute(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 3 || f[1] !== '00000000') continue;
    const g = Number.parseInt(f[2] ?? '0', 16);
    const ip = [g & 255, (g >>> 8) & 255, (g >>> 16) & 255, g >>> 24].join('.');
    out.set(f[0] as string, [...(out.get(f[0] as string) ?? []), ip]);
  }
  return out;
}

/** Name servers of /etc/resolv.conf. */
export function parseResolvConf(text: string): string[] {
  return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1] as string);
}

/** One installed package. */
export interface SoftwarePackage {
  readonly name: string;
  readonly version: string;
  readonly vendor: string;
}

/** Parses `dpkg-query -W -f '${Package}\t${Version}\t${Maintainer}\t${db:Status-Status}\n'`: installed only. */
export function parseDpkgQuery(text: string): SoftwarePackage[] {
  const out: SoftwarePackage[] = [];
  for (const line of text.split('\n')) {
    const [name, version, maintainer, status] = line.split('\t');
    if (!name || !version || (status !== undefined && status !== 'installed')) continue;
    const vendor = (maintainer ?? '').replace(/\s*<[^>]*>\s*$/, '').trim();
    out.push({ name, version, vendor });
  }
  return out;
}

/** Parses `rpm -qa --qf '%{NAME}\t%{VERSION}-%{RELEASE}\t%{VENDOR}\n'`. */
export function parseRpmQuery(text: string): SoftwarePackage[] {
  return text
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((f) => f[0] && f[1])
    .map(([name, version, vendor]) => ({
      name: name as string,
      version: version as string,
      vendor: vendor === '(none)' ? '' : (vendor ?? ''),
    }));
}

/** DeviceTvmSoftwareInventory rows: a snapshot, one row per package. */
export function softwareInventoryRows(
  packages: readonly SoftwarePackage[],
  os: { readonly version: string; readonly arch: string },
): SensorRow[] {
  return packages.map((p) => ({
    Table: 'DeviceTvmSoftwareInventory',
    OSPlatform: 'Linux',
    OSVersion: os.version,
    OSArchitecture: osArchitecture(os.arch),
    SoftwareVendor: p.vendor,
    SoftwareName: p.name,
    SoftwareVersion: p.version,
    ProductCodeCpe: 'not available',
  }));
}
