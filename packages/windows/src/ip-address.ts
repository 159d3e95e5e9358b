// IP address helpers for the network columns: Sysmon writes IPv6 uncompressed (`0:0:0:0:0:0:0:1`) while Defender
// shows the compressed form (`::1`), and the *IPType columns classify addresses.

import { ipv6Text } from '@vigil/base';

function ipv4Octets(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4) return undefined;
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : Number.NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : undefined;
}

function ipv6Groups(ip: string): number[] | undefined {
  if (ip.includes('.') || !ip.includes(':')) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string): number[] =>
    s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const head = parse(halves[0] ?? '');
  const tail = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return groups.every((g) => Number.isInteger(g)) ? groups : undefined;
}

/** An IP address in canonical text: IPv6 compressed and in lower case (RFC 5952); other text unchanged. */
export function canonicalIp(ip: string): string {
  const groups = ipv6Groups(ip.trim());
  return groups === undefined ? ip.trim() : ipv6Text(groups);
}

function ipv4Type(o: readonly number[]): string {
  const [a = 0, b = 0, c = 0] = o;
  if (o.every((x) => x === 255)) return 'Broadcast';
  if (a === 127) return 'Loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'Private';
  const reserved =
    a === 0 ||
    a >= 224 ||
    (a === 169 && b === 254) ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19 || (b === 51 && c === 100))) ||
    (a === 203 && b === 0 && c === 113);
  return reserved ? 'Reserved' : 'Public';
}

function ipv6Type(g: readonly number[]): string {
  const [g0 = 0, g1 = 0] = g;
  if (g.slice(0, 7).every((x) => x === 0)) return g[7] === 1 ? 'Loopback' : 'Reserved';
  if (g0 === 0x2001 && g1 === 0) return 'Teredo';
  if ((g0 & 0xfe00) === 0xfc00) return 'Private';
  if ((g0 & 0xffc0) === 0xfe80 || (g0 & 0xff00) === 0xff00) return 'Reserved';
  return 'Public';
}

/**
 * Classifies an address with the values of Defender's LocalIPType/RemoteIPType columns: Public, Private, Reserved
 * (link-local, multicast, documentation and other special ranges), Loopback, Broadcast, Teredo, FourToSixMapping.
 */
export function ipAddressType(ip: string): string | undefined {
  const s = ip.trim().toLowerCase();
  if (/^(?:(?:0{1,4}:){5}|::(?:0{1,4}:)?)ffff:\d+\.\d+\.\d+\.\d+$/.test(s)) return 'FourToSixMapping';
  const v4 = ipv4Octets(s);
  if (v4 !== undefined) return ipv4Type(v4);
  const v6 = ipv6Groups(s);
  return v6 === undefined ? undefined : ipv6Type(v6);
}
