/** Strings made only of printable ASCII other than `"` and `\`: their JSON is their bytes between quotes. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
/** `"Key":` as bytes, per key (rows have a few dozen keys; the cache is bounded for odd ones). */
const keyBytes = new Map<string, Buffer>();
const KEY_CACHE_MAX = 4096;

function key(k: string): Buffer {
  let b = keyBytes.get(k);
  if (b === undefined) {
    b = Buffer.from(`${JSON.stringify(k)}:`);
    if (keyBytes.size < KEY_CACHE_MAX) keyBytes.set(k, b);
  }
  return b;
}

/**
 * Writes the JSON of a row (what JSON.stringify(row) gives, byte for byte) into `out` from `start`, leaving one byte
 * free after it; returns the end, or -1 when it does not fit (the bytes written are then garbage). Written straight
 * into the spool's block: JSON.stringify builds its result in pieces and flattens it, about three times the row in
 * garbage, which was the agent's largest allocation.
 */
export function writeJsonRow(row: object, out: Buffer, start: number): number {
  const end = out.length - 1;
  let at = start;
  if (at + 2 > end) return -1;
  out[at++] = 0x7b; // {
  let first = true;
  for (const k in row) {
    if (!Object.hasOwn(row, k)) continue;
    const v = (row as Record<string, unknown>)[k];
    let plain: string | undefined;
    let json: string | undefined;
    if (typeof v === 'string') {
      if (PLAIN.test(v)) plain = v;
      else json = JSON.stringify(v);
    } else if (typeof v === 'number') json = Number.isFinite(v) ? String(v) : 'null';
    else if (typeof v === 'boolean') json = v ? 'true' : 'false';
    else if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    else json = JSON.stringify(v) as string | undefined; // null, objects, arrays (toJSON too)
    if (plain === undefined && json === undefined) continue;
    const name = key(k);
    const need = 1 + name.length + (plain !== undefined ? plain.length + 2 : (json as string).length * 3);
    if (at + need > end) return -1;
    if (!first) out[at++] = 0x2c; // ,
    first = false;
    at += name.copy(out, at);
    if (plain !== undefined) {
      out[at++] = 0x22;
      at += out.write(plain, at, 'latin1');
      out[at++] = 0x22;
    } else at += out.write(json as string, at, 'utf8');
  }
  if (at + 1 > end) return -1;
  out[at++] = 0x7d; // }
  return at;
}
