// Substitution values (MS-EVEN6 value types) rendered as text the way Windows and evtx_dump print them.

import { BinXmlError } from './binxml-error.js';
import { ansiText, hex64Text, hexBytes, i64Text, u16, u32, u64Text, utf16Text } from './bytes.js';
import { filetimeText, systemtimeText } from './win-time.js';

/** Value type codes of MS-EVEN6 §2.2.18; an array type is the scalar code | 0x80. */
export const valueTypes = {
  null: 0x00,
  string: 0x01,
  ansiString: 0x02,
  int8: 0x03,
  uint8: 0x04,
  int16: 0x05,
  uint16: 0x06,
  int32: 0x07,
  uint32: 0x08,
  int64: 0x09,
  uint64: 0x0a,
  real32: 0x0b,
  real64: 0x0c,
  bool: 0x0d,
  binary: 0x0e,
  guid: 0x0f,
  sizeT: 0x10,
  filetime: 0x11,
  systemtime: 0x12,
  sid: 0x13,
  hex32: 0x14,
  hex64: 0x15,
  evtHandle: 0x20,
  binXml: 0x21,
  evtXml: 0x23,
  array: 0x80,
} as const;

/** Byte size of one item of a fixed-size scalar type, 0 for variable-size types. */
export function fixedSize(type: number): number {
  switch (type) {
    case 0x03:
    case 0x04:
      return 1;
    case 0x05:
    case 0x06:
      return 2;
    case 0x07:
    case 0x08:
    case 0x0b:
    case 0x0d:
    case 0x14:
      return 4;
    case 0x09:
    case 0x0a:
    case 0x0c:
    case 0x11:
    case 0x15:
      return 8;
    case 0x0f:
    case 0x12:
      return 16;
    default:
      return 0;
  }
}

/** Renders the value of type `type` stored in `b[p, p + size)`. Arrays render as their items joined by commas. */
export function renderValue(b: Uint8Array, type: number, p: number, size: number): string {
  if (type & 0x80) return arrayItems(b, type, p, size).join(',');
  const need = fixedSize(type);
  if (size < need) throw new BinXmlError(`value of type 0x${type.toString(16)} needs ${need} bytes, has ${size}`, p);
  switch (type) {
    case 0x00:
      return '';
    case 0x01:
    case 0x23:
      return utf16Text(b, p, size >>> 1);
    case 0x02:
      return ansiText(b, p, size);
    case 0x03:
      return String(((b[p] as number) << 24) >> 24);
    case 0x04:
      return String(b[p]);
    case 0x05:
      return String((u16(b, p) << 16) >> 16);
    case 0x06:
      return String(u16(b, p));
    case 0x07:
      return String(u32(b, p) | 0);
    case 0x08:
      return String(u32(b, p));
    case 0x09:
      return i64Text(u32(b, p), u32(b, p + 4));
    case 0x0a:
      return u64Text(u32(b, p), u32(b, p + 4));
    case 0x0b:
      return real32Text(new DataView(b.buffer, b.byteOffset + p, 4).getFloat32(0, true));
    case 0x0c:
      return String(new DataView(b.buffer, b.byteOffset + p, 8).getFloat64(0, true));
    case 0x0d:
      return u32(b, p) !== 0 ? 'true' : 'false';
    case 0x0e:
      return hexBytes(b, p, size);
    case 0x0f:
      return guidText(b, p);
    case 0x10:
    case 0x20:
      return size >= 8 ? hex64Text(u32(b, p), u32(b, p + 4)) : `0x${size >= 4 ? u32(b, p).toString(16) : '0'}`;
    case 0x11:
      return filetimeText(u32(b, p), u32(b, p + 4));
    case 0x12:
      return systemtimeText(b, p);
    case 0x13:
      return sidText(b, p, size).text;
    case 0x14:
      return `0x${u32(b, p).toString(16)}`;
    case 0x15:
      return hex64Text(u32(b, p), u32(b, p + 4));
    default:
      throw new BinXmlError(`unknown value type 0x${type.toString(16)}`, p);
  }
}

/** Float32 in its shortest round-trip form, as evtx_dump prints it (`0.1`, not `0.10000000149011612`). */
function real32Text(v: number): string {
  if (!Number.isFinite(v) || v === 0) return String(v);
  for (let digits = 1; digits < 10; digits++) {
    const n = Number(v.toPrecision(digits));
    if (Math.fround(n) === v) return String(n);
  }
  return String(v);
}

const GUID_ORDER = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
const HEX_DIGITS = '0123456789ABCDEF';
/** Process, logon and activity GUIDs repeat across records: a small cache checked against the 16 bytes. */
const GUID_CACHE = 1024;
const guidBytes = new Uint8Array(GUID_CACHE * 16);
const guidStrings: (string | undefined)[] = new Array<string | undefined>(GUID_CACHE).fill(undefined);

/** `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`: the first three groups are little-endian. */
export function guidText(b: Uint8Array, p: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ (b[p + i] as number), 16777619);
  const slot = (h ^ (h >>> 16)) & (GUID_CACHE - 1);
  const cached = guidStrings[slot];
  if (cached !== undefined) {
    let i = 0;
    while (i < 16 && guidBytes[slot * 16 + i] === b[p + i]) i++;
    if (i === 16) return cached;
  }
  let s = '{';
  for (const i of GUID_ORDER) {
    if (i < 0) s += '-';
    else s += (HEX_DIGITS[(b[p + i] as number) >> 4] as string) + (HEX_DIGITS[(b[p + i] as number) & 15] as string);
  }
  s = `${s}}`;
  guidBytes.set(b.subarray(p, p + 16), slot * 16);
  guidStrings[slot] = s;
  return s;
}

/** `S-1-5-21-...`: revision, sub-authority count, 48-bit big-endian authority, then little-endian u32 sub-authorities. */
export function sidText(b: Uint8Array, p: number, size: number): { text: string; size: number } {
  if (size < 8) throw new BinXmlError(`SID needs 8 bytes, has ${size}`, p);
  const count = b[p + 1] as number;
  const total = 8 + 4 * count;
  if (total > size) throw new BinXmlError(`SID with ${count} sub-authorities needs ${total} bytes, has ${size}`, p);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + (b[p + i] as number);
  let text = `S-${b[p]}-${authority}`;
  for (let i = 0; i < count; i++) text += `-${u32(b, p + 8 + 4 * i)}`;
  return { text, size: total };
}

/** The items of an array value, each rendered as its scalar type would be. */
export function arrayItems(b: Uint8Array, type: number, p: number, size: number): string[] {
  const scalar = type & 0x7f;
  const out: string[] = [];
  const end = p + size;
  if (scalar === 0x01 || scalar === 0x02) {
    // NUL-terminated strings back to back; a trailing terminator does not start another item.
    const unit = scalar === 0x01 ? 2 : 1;
    let start = p;
    for (let i = p; i + unit <= end; i += unit) {
      if (b[i] === 0 && (unit === 1 || b[i + 1] === 0)) {
        out.push(scalar === 0x01 ? utf16Text(b, start, (i - start) >>> 1) : ansiText(b, start, i - start));
        start = i + unit;
      }
    }
    if (start + unit <= end)
      out.push(scalar === 0x01 ? utf16Text(b, start, (end - start) >>> 1) : ansiText(b, start, end - start));
    return out;
  }
  if (scalar === 0x13) {
    for (let i = p; i + 8 <= end; ) {
      const sid = sidText(b, i, end - i);
      out.push(sid.text);
      i += sid.size;
    }
    return out;
  }
  let item = fixedSize(scalar);
  if (scalar === 0x10 || scalar === 0x20) item = size % 8 === 0 ? 8 : 4;
  if (item === 0) {
    // Binary arrays carry no item boundaries; anything else here is not a valid array type.
    if (scalar === 0x0e) return [hexBytes(b, p, size)];
    throw new BinXmlError(`unknown array value type 0x${type.toString(16)}`, p);
  }
  for (let i = p; i + item <= end; i += item) out.push(renderValue(b, scalar, i, item));
  return out;
}

/** How many items an array value holds, without rendering them (for the element repetition of array values). */
export function arrayLength(b: Uint8Array, type: number, p: number, size: number): number {
  const scalar = type & 0x7f;
  const item = fixedSize(scalar);
  if (item > 0) return Math.floor(size / item);
  return arrayItems(b, type, p, size).length;
}
