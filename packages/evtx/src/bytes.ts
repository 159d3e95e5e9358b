// Little-endian readers and text decoding over Uint8Array. Callers check bounds first; these do no checks.

/** Unsigned 16-bit little-endian at `p`. */
export function u16(b: Uint8Array, p: number): number {
  return (b[p] as number) | ((b[p + 1] as number) << 8);
}

/** Unsigned 32-bit little-endian at `p`. */
export function u32(b: Uint8Array, p: number): number {
  return (
    ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24)) >>> 0
  );
}

/** Unsigned 64-bit little-endian at `p` as a number; exact below 2^53, which record numbers and sizes are. */
export function u64n(b: Uint8Array, p: number): number {
  return u32(b, p + 4) * 4294967296 + u32(b, p);
}

/** Decimal text of the unsigned 64-bit value `hi:lo`, exact for the whole range. */
export function u64Text(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** Decimal text of the signed 64-bit value `hi:lo` (two's complement). */
export function i64Text(lo: number, hi: number): string {
  if (hi < 0x200000) return String(hi * 4294967296 + lo);
  return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** `0x` and the lower-case hex digits of `hi:lo` without leading zeros, as Windows prints HexInt64. */
export function hex64Text(lo: number, hi: number): string {
  // Keywords repeat from record to record: the last text is kept.
  if (lo === lastHex.lo && hi === lastHex.hi) return lastHex.text;
  const text = hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}`;
  lastHex.lo = lo;
  lastHex.hi = hi;
  lastHex.text = text;
  return text;
}

const lastHex = { lo: 0, hi: 0, text: '0x0' };

/** Upper-case two-digit hex of every byte value. */
export const HEX_UPPER: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).toUpperCase().padStart(2, '0'),
);

const utf16 = new TextDecoder('utf-16le');

/**
 * Short strings repeat a lot in event logs (paths, user and host names, `-`), so decoded ones are kept in a small
 * direct-mapped cache checked against the bytes: a hit costs no allocation, which keeps the garbage collector (the
 * main cost of reading) busy with the records alone.
 */
const CACHE_SIZE = 4096;
const MAX_CACHED = 64;
const cache: (string | undefined)[] = new Array<string | undefined>(CACHE_SIZE).fill(undefined);

function sameText(s: string, b: Uint8Array, p: number): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== ((b[p + 2 * i] as number) | ((b[p + 2 * i + 1] as number) << 8))) return false;
  }
  return true;
}

/**
 * Decodes `count` UTF-16LE code units at `p`, stopping at the first NUL (Windows strings are C strings; sizes often
 * include the terminator).
 */
export function utf16Text(b: Uint8Array, p: number, count: number): string {
  if (count > MAX_CACHED) {
    const s = utf16.decode(b.subarray(p, p + 2 * count));
    const nul = s.indexOf('\0');
    return nul < 0 ? s : s.slice(0, nul);
  }
  let h = 0x811c9dc5;
  let n = 0;
  for (; n < count; n++) {
    const c = (b[p + 2 * n] as number) | ((b[p + 2 * n + 1] as number) << 8);
    if (c === 0) break;
    h = Math.imul(h ^ c, 16777619);
  }
  if (n === 0) return '';
  const slot = (h ^ (h >>> 15)) & (CACHE_SIZE - 1);
  const hit = cache[slot];
  if (hit !== undefined && hit.length === n && sameText(hit, b, p)) return hit;
  const s = utf16.decode(b.subarray(p, p + 2 * n));
  cache[slot] = s;
  return s;
}

/**
 * Windows-1252 for 0x80-0x9F (the rest is Latin-1). Kept here because Node's TextDecoder decodes "windows-1252" as
 * Latin-1.
 */
const CP1252 =
  '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

/** Decodes `size` single-byte (ANSI, read as Windows-1252) characters at `p`, stopping at the first NUL. */
export function ansiText(b: Uint8Array, p: number, size: number): string {
  let s = '';
  for (let i = p; i < p + size; i++) {
    const c = b[i] as number;
    if (c === 0) break;
    s += c >= 0x80 && c < 0xa0 ? CP1252[c - 0x80] : String.fromCharCode(c);
  }
  return s;
}

/** Upper-case hex of `bytes[p, p + size)`, as Windows prints binary values. */
export function hexBytes(b: Uint8Array, p: number, size: number): string {
  let s = '';
  for (let i = p; i < p + size; i++) s += HEX_UPPER[b[i] as number] as string;
  return s;
}
