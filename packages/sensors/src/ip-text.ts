import { ipv6Text } from '@vigil/base';

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address as text; IPv4-mapped IPv6 as plain IPv4, IPv6 compressed. */
export function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return bytes.join('.');
  if (bytes.subarray(0, 10).every((x) => x === 0) && bytes[10] === 0xff && bytes[11] === 0xff)
    return bytes.subarray(12).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return ipv6Text(groups);
}
