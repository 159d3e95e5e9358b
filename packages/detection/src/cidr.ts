/** Parses an IPv4 or IPv6 address into a big integer and its bit width; undefined when not an address. */
export function parseIp(text: string): { value: bigint; bits: 32 | 128 } | undefined {
  const t = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) {
    const parts = t.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { value: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!t.includes(':')) return undefined;
  return parseIpv6(t);
}

function parseIpv6(t: string): { value: bigint; bits: 128 } | undefined {
  let text = t.replace(/%.*$/, '');
  const v4 = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (v4?.[1]) {
    const ip4 = parseIp(v4[1]);
    if (!ip4) return undefined;
    const hi = Number(ip4.value >> 16n).toString(16);
    const lo = Number(ip4.value & 0xffffn).toString(16);
    text = `${text.slice(0, v4.index)}${hi}:${lo}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (halves.length === 1 && fill !== 0)) return undefined;
  const groups = [...head, ...Array<string>(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  let value = 0n;
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return { value, bits: 128 };
}

/** A test whether an address lies in a CIDR range (`10.0.0.0/8`, `fe80::/10`); undefined when malformed. */
export function cidrTest(cidr: string): ((ip: string) => boolean) | undefined {
  const [addr = '', lenText] = cidr.trim().split('/');
  const base = parseIp(addr);
  if (!base) return undefined;
  const len = lenText === undefined ? base.bits : Number(lenText);
  if (!Number.isInteger(len) || len < 0 || len > base.bits) return undefined;
  const shift = BigInt(base.bits - len);
  const prefix = base.value >> shift;
  return (ip) => {
    const p = parseIp(ip);
    return p !== undefined && p.bits === base.bits && p.value >> shift === prefix;
  };
}
