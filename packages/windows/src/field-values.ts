// Readers for the loosely typed values of Windows event fields: the same field can arrive as a number, a decimal
// or hex string, a `{"#text": ...}` wrapper or the placeholder `-`, depending on the exporter.

const DECIMAL = /^-?\d+$/;
const HEX = /^0x[0-9a-f]+$/i;

/** Unwraps `{"#text": value}` objects that XML-to-JSON exporters produce for elements with attributes. */
export function unwrap(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && '#text' in value) {
    return (value as Record<string, unknown>)['#text'];
  }
  return value;
}

/** A field as text; undefined for absent, null, empty and the Windows placeholder `-`. */
export function text(value: unknown): string | undefined {
  const v = unwrap(value);
  if (typeof v === 'string') return v === '' || v === '-' ? undefined : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** A whole number from a number, a decimal string or a `0x` hex string; undefined when it is none of these. */
export function wholeNumber(value: unknown): number | undefined {
  const v = unwrap(value);
  if (typeof v === 'number') return Number.isSafeInteger(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (DECIMAL.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (HEX.test(s)) {
    const n = Number.parseInt(s.slice(2), 16);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/**
 * A value for a `long` column: a number when it is a safe integer, else a decimal string (as the schema allows for
 * 64-bit values such as logon ids), or undefined when the text is not a whole number in 64 bits.
 */
export function long(value: unknown): number | string | undefined {
  const n = wholeNumber(value);
  if (n !== undefined) return n;
  const v = unwrap(value);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!DECIMAL.test(s) && !HEX.test(s)) return undefined;
  if (HEX.test(s)) {
    // hex is a bit pattern: up to 64 bits, read as a signed 64-bit value
    const big = BigInt(s.toLowerCase());
    return big > 0xffff_ffff_ffff_ffffn ? undefined : BigInt.asIntN(64, big).toString();
  }
  const big = BigInt(s);
  if (big > 0x7fff_ffff_ffff_ffffn || big < -0x8000_0000_0000_0000n) return undefined;
  return big.toString();
}

/** A value for an `int` column (ports, session ids); undefined outside 32 bits. */
export function int32(value: unknown): number | undefined {
  const n = wholeNumber(value);
  return n !== undefined && n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/** A boolean from `true`/`false` in any case, a boolean or 1/0. */
export function bool(value: unknown): boolean | undefined {
  const v = unwrap(value);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v === 1 ? true : v === 0 ? false : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().toLowerCase();
  return s === 'true' || s === '1' ? true : s === 'false' || s === '0' ? false : undefined;
}

/** The last path segment of a Windows (`\`) or Unix (`/`) path: `C:\Windows\cmd.exe` → `cmd.exe`. */
export function fileNameOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut < 0 ? path : path.slice(cut + 1);
}

/** Splits `DOMAIN\name` into its parts; a name without a domain gives only the name. */
export function splitAccount(value: unknown): { domain?: string; name?: string } {
  const s = text(value);
  if (s === undefined) return {};
  const cut = s.indexOf('\\');
  if (cut < 0) return { name: s };
  const domain = s.slice(0, cut);
  const name = s.slice(cut + 1);
  return { ...(domain === '' ? {} : { domain }), ...(name === '' ? {} : { name }) };
}

/** Hashes of a file from Sysmon's `SHA1=..,MD5=..,SHA256=..,IMPHASH=..` text, in lower-case hex as Defender shows. */
export function splitHashes(value: unknown): { SHA1?: string; SHA256?: string; MD5?: string } {
  const s = text(value);
  const out: { SHA1?: string; SHA256?: string; MD5?: string } = {};
  if (s === undefined) return out;
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const kind = part.slice(0, eq).trim().toUpperCase();
    const hex = part
      .slice(eq + 1)
      .trim()
      .toLowerCase();
    if (!/^[0-9a-f]+$/.test(hex)) continue;
    if (kind === 'SHA1' && hex.length === 40) out.SHA1 = hex;
    else if (kind === 'SHA256' && hex.length === 64) out.SHA256 = hex;
    else if (kind === 'MD5' && hex.length === 32) out.MD5 = hex;
  }
  return out;
}

/**
 * The executable path at the start of a command line or service image path: the quoted part when it is quoted,
 * else the text up to the first `.exe`, `.sys`, `.dll` or `.com` followed by a space, else up to the first space.
 */
export function executableOf(commandLine: unknown): string | undefined {
  const s = text(commandLine)?.trim();
  if (s === undefined || s === '') return undefined;
  if (s.startsWith('"')) {
    const end = s.indexOf('"', 1);
    return end > 1 ? s.slice(1, end) : undefined;
  }
  const m = /^(.*?\.(?:exe|sys|dll|com))(?:\s|$)/i.exec(s);
  if (m?.[1] !== undefined) return m[1];
  const space = s.indexOf(' ');
  return space < 0 ? s : s.slice(0, space);
}
