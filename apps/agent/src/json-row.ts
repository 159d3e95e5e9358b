import { INITIATING_REFERENCE } from '@vigil/protocol';
import { INITIATING_COLUMN_NAMES } from '@vigil/sensors';

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

/** JSON's two-character escapes of control characters (the others are \u00XX), by code. */
const SHORT_ESCAPES = new Uint8Array(32);
SHORT_ESCAPES[8] = 0x62; // \b
SHORT_ESCAPES[9] = 0x74; // \t
SHORT_ESCAPES[10] = 0x6e; // \n
SHORT_ESCAPES[12] = 0x66; // \f
SHORT_ESCAPES[13] = 0x72; // \r
const HEX = '0123456789abcdef';
/**
 * Called as charCodeAt.call(s, i): `s.charCodeAt` is a property load on the string, and strings reach these loops in
 * several representations (flat, sliced, concatenated, two-byte), each a map of its own: past four, that load goes
 * through V8's megamorphic stub cache on every character (10% of the agent's main thread in a profile).
 */
const charCodeAt = String.prototype.charCodeAt;

/**
 * Writes an ASCII string as JSON does (quotes, `\"`, `\\`, control characters escaped) into out from `at`; returns
 * the end, -1 at a character beyond ASCII (the caller writes it another way), or -2 when it does not fit before
 * `end`. Strings such as AdditionalFields (JSON text) and command lines with quotes are written so without the
 * escaped copy JSON.stringify would make.
 */
function writeAsciiString(s: string, out: Buffer, at: number, end: number): number {
  const n = s.length;
  if (at + n + 2 > end) return -2;
  out[at++] = 0x22;
  for (let i = 0; i < n; i++) {
    const c = charCodeAt.call(s, i);
    if (at + 6 > end) return -2;
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) {
      if (c >= 0x80) return -1;
      out[at++] = c;
    } else if (c >= 0x20) {
      out[at++] = 0x5c;
      out[at++] = c;
    } else {
      out[at++] = 0x5c;
      const short = SHORT_ESCAPES[c] as number;
      if (short !== 0) out[at++] = short;
      else {
        out[at++] = 0x75; // u00XX
        out[at++] = 0x30;
        out[at++] = 0x30;
        out[at++] = HEX.charCodeAt(c >> 4);
        out[at++] = HEX.charCodeAt(c & 15);
      }
    }
  }
  if (at + 1 > end) return -2;
  out[at++] = 0x22;
  return at;
}

/**
 * Plain strings longer than this are written by one Latin-1 write; shorter ones, and those that need escapes, by
 * writeAsciiString's loop (a call into C++ costs more than the loop for short strings).
 */
const SHORT_STRING = 64;

/** Strings at least this long are looked up in (and added to) the recent long strings below. */
const LONG_STRING = 256;
/** How many recent long strings are remembered. */
const RECENT_LONG = 4;
/**
 * Recent long string values and, once one came back, its JSON bytes: a long command line repeated on thousands of
 * rows (InitiatingProcessCommandLine of an `rm` of many files, say) is checked and escaped once, then copied. A
 * string seen once costs a few comparisons (strings of another length differ at once).
 */
const recentLong: (string | undefined)[] = new Array(RECENT_LONG).fill(undefined);
const recentLongJson: (Buffer | undefined)[] = new Array(RECENT_LONG).fill(undefined);
let recentLongNext = 0;

/** The slot of a remembered long string, or -1. */
function recentSlot(s: string): number {
  for (let i = 0; i < RECENT_LONG; i++) if (recentLong[i] === s) return i;
  return -1;
}

/** Copies a key's cached `"Key":` bytes (or other short bytes); returns the end. */
export function copyKey(name: Buffer, out: Buffer, at: number): number {
  for (let i = 0; i < name.length; i++) out[at + i] = name[i] as number;
  return at + name.length;
}

/** writeStringValue's answer for a string with a character beyond ASCII (written through JSON.stringify instead). */
const NOT_ASCII = -3;

/**
 * Writes a string value as JSON from `at`; returns the end, -1 when it does not fit, or NOT_ASCII (the bytes written
 * are then garbage). Long strings seen again are copied from their kept JSON (see recentLong).
 */
function writeStringValue(v: string, out: Buffer, at: number, end: number): number {
  const slot = v.length >= LONG_STRING ? recentSlot(v) : -1;
  const cached = slot >= 0 ? recentLongJson[slot] : undefined;
  if (cached !== undefined) {
    if (at + cached.length > end) return -1;
    return at + cached.copy(out, at);
  }
  if (v.length >= LONG_STRING && slot < 0) {
    recentLong[recentLongNext] = v;
    recentLongJson[recentLongNext] = undefined;
    recentLongNext = (recentLongNext + 1) % RECENT_LONG;
  }
  let stop: number;
  if (v.length > SHORT_STRING && PLAIN.test(v)) {
    if (at + v.length + 2 > end) return -1;
    out[at] = 0x22;
    stop = at + 1 + out.write(v, at + 1, 'latin1');
    out[stop++] = 0x22;
  } else {
    stop = writeAsciiString(v, out, at, end);
    if (stop === -2) return -1;
    if (stop < 0) return NOT_ASCII;
  }
  if (slot >= 0) recentLongJson[slot] = Buffer.from(out.subarray(at, stop));
  return stop;
}

/**
 * Writes `name` (a key's bytes: `,"Key":`) and the JSON of a string; returns the end or -1 when it does not fit.
 * For writers compiled for one shape of row (see ShapeWriters).
 */
export function writeNamedString(name: Buffer, v: string, out: Buffer, at: number, end: number): number {
  if (at + name.length > end) return -1;
  const stop = writeStringValue(v, out, copyKey(name, out, at), end);
  return stop === NOT_ASCII ? writeNamedJson(name, JSON.stringify(v), out, at, end) : stop;
}

/** Writes `name` and JSON text (of a number, a boolean, an object); returns the end or -1 when it does not fit. */
export function writeNamedJson(name: Buffer, json: string, out: Buffer, at: number, end: number): number {
  if (at + name.length + json.length * 3 > end) return -1;
  const from = copyKey(name, out, at);
  return from + out.write(json, from, 'utf8');
}

/**
 * A run of columns that many rows share value for value: the InitiatingProcess* columns, which the sensors spread
 * from one object per process, so a process that writes 5,000 files puts the same values (the same string objects)
 * on 5,000 rows. The JSON of the last few distinct runs is kept with the values it was written from, and copied
 * when a row has the same values (=== each: a pointer comparison for the shared strings). These columns are about
 * half of an event row's JSON.
 */
export const RUN: readonly string[] = INITIATING_COLUMN_NAMES;
/** The run's last column, which names its process. */
const RUN_ID = 'InitiatingProcessUniqueId';
/** The columns of the initiating process (the run's and any other) start with this. */
export const INITIATING_PREFIX = 'InitiatingProcess';
if (RUN[RUN.length - 1] !== RUN_ID) throw new Error(`the InitiatingProcess* columns must end with ${RUN_ID}`);

/**
 * The runs a batch already holds in full, by InitiatingProcessUniqueId: the JSON kept for the run (compared by
 * identity: the same Buffer is the same values). Cleared when the batch is sealed.
 */
export type BatchRuns = Map<string, Buffer>;
const RUN_SLOTS = 4;
const runValues: unknown[][] = Array.from({ length: RUN_SLOTS }, () => new Array<unknown>(RUN.length));
/** The JSON of each kept run: `"Key":value` pairs joined by commas, no comma before the first (empty: all undefined). */
const runJson: (Buffer | undefined)[] = new Array(RUN_SLOTS).fill(undefined);
let runNext = 0;

/** Room for the JSON of a run (grown for a longer one). */
let runScratch = Buffer.allocUnsafe(16 * 1024);

/** The row's run values, in RUN's order (scratch, filled by runJsonOf's callers). */
const rowRun: unknown[] = new Array<unknown>(RUN.length);

/**
 * The JSON of the row's run: kept from an earlier row with the same values, else written now and kept. Undefined
 * when a value is other than a string, a finite number or undefined (an object's JSON may change: not kept).
 */
function runJsonOf(row: Record<string, unknown>): Buffer | undefined {
  for (let i = 0; i < RUN.length; i++) rowRun[i] = row[RUN[i] as string];
  return runJsonOfValues(rowRun);
}

/** runJsonOf for the run's values in RUN's order (`values` is read, not kept). */
export function runJsonOfValues(values: readonly unknown[]): Buffer | undefined {
  next: for (let s = 0; s < RUN_SLOTS; s++) {
    if (runJson[s] === undefined) continue;
    const kept = runValues[s] as unknown[];
    // From the last column (InitiatingProcessUniqueId): another process differs there first.
    for (let i = RUN.length - 1; i >= 0; i--) if (values[i] !== kept[i]) continue next;
    return runJson[s];
  }
  const run: Record<string, unknown> = {};
  for (let i = 0; i < RUN.length; i++) {
    const v = values[i];
    if (!(v === undefined || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)))) return undefined;
    run[RUN[i] as string] = v;
  }
  let end = writeJsonRow(run, runScratch, 0, false);
  while (end < 0) {
    runScratch = Buffer.allocUnsafe(runScratch.length * 2);
    end = writeJsonRow(run, runScratch, 0, false);
  }
  const kept = runValues[runNext] as unknown[];
  for (let i = 0; i < RUN.length; i++) kept[i] = values[i];
  const json = Buffer.from(runScratch.subarray(1, end - 1)); // without its braces
  runJson[runNext] = json;
  runNext = (runNext + 1) % RUN_SLOTS;
  return json;
}

/**
 * The run last written by writeRunJson: in full (its InitiatingProcessUniqueId and JSON, added to the batch by
 * commitRun once the row is whole), or as a reference.
 */
let writtenRunId: string | undefined;
let writtenRunJson: Buffer | undefined;
let writtenRunReferred = false;

/**
 * Writes a run's kept JSON (from runJsonOfValues; `id` is its InitiatingProcessUniqueId) from `at`, a comma first
 * when `comma`, or a reference when `batch` holds it and the row has no other InitiatingProcess* column (`other`).
 * Returns the end, or -1 when it does not fit. The row's writer calls commitRun once the row is whole.
 */
export function writeRunJson(
  json: Buffer,
  id: unknown,
  other: boolean,
  batch: BatchRuns | undefined,
  out: Buffer,
  at: number,
  end: number,
  comma = true,
): number {
  const referred = !other && batch !== undefined && typeof id === 'string' && batch.get(id) === json;
  writtenRunReferred = referred;
  writtenRunId = !referred && typeof id === 'string' ? id : undefined;
  writtenRunJson = json;
  const bytes = referred ? referenceJson(id as string) : json;
  if (bytes.length === 0) return at;
  if (at + 1 + bytes.length > end) return -1;
  if (comma) out[at++] = 0x2c; // ,
  return at + bytes.copy(out, at);
}

/** The row of the run writeRunJson wrote is whole: that run, written in full, is in the batch from now on. */
export function commitRun(batch: BatchRuns | undefined, other: boolean): void {
  if (batch === undefined || writtenRunId === undefined || writtenRunJson === undefined) return;
  // The server takes this row's InitiatingProcess* columns for its process, another one included.
  if (other) batch.delete(writtenRunId);
  else batch.set(writtenRunId, writtenRunJson);
}

/**
 * Writes the JSON of a row (what JSON.stringify(row) gives, byte for byte) into `out` from `start`, leaving one byte
 * free after it; returns the end, or -1 when it does not fit (the bytes written are then garbage). Written straight
 * into the spool's block: JSON.stringify builds its result in pieces and flattens it, about three times the row in
 * garbage, which was the agent's largest allocation. ASCII strings are written here, escapes included; long plain
 * ones (no escapes) by one Latin-1 write; the rest (beyond ASCII) through JSON.stringify. The InitiatingProcess*
 * columns, when a plain object has them together in their usual order, are copied from the JSON of an earlier row
 * with the same values (see RUN); `runs` false writes them like any other column.
 *
 * With `batch` (the runs the rows already written to the same batch hold in full, by InitiatingProcessUniqueId), a
 * row whose run one of them holds gets `"@InitiatingProcess":ID` instead of the run's columns (see
 * INITIATING_REFERENCE in @vigil/protocol: the server puts them back); a row written with its run in full is added
 * to `batch` once it is written whole.
 */
export function writeJsonRow(row: object, out: Buffer, start: number, runs = true, batch?: BatchRuns): number {
  const end = out.length - 1;
  let at = start;
  if (at + 2 > end) return -1;
  out[at++] = 0x7b; // {
  let first = true;
  const plain = runs && Object.getPrototypeOf(row) === Object.prototype;
  /** Run columns still to pass over after a copied run. */
  let skip = 0;
  /** The row has a run, written by writeRunJson (committed to `batch` when the row is whole). */
  let hasRun = false;
  /** An InitiatingProcess* column outside the run was seen (a reference stands for them all: none then). */
  let otherInitiating = false;
  let referred = false;
  for (const k in row) {
    if (!Object.hasOwn(row, k)) continue;
    if (skip === 0 && k.charCodeAt(0) === 0x49 && k !== RUN[0] && k.startsWith(INITIATING_PREFIX)) {
      if (referred) return writeWhole(row, out, start, batch);
      otherInitiating = true;
    }
    if (skip > 0) {
      // Copied on the word of its first column: the row must go on with the others, in order.
      if (k !== RUN[RUN.length - skip]) return writeWhole(row, out, start, batch);
      skip--;
      continue;
    }
    if (plain && k === RUN[0]) {
      const json = runJsonOf(row as Record<string, unknown>);
      if (json === undefined) return writeWhole(row, out, start, batch);
      const stop = writeRunJson(
        json,
        (row as Record<string, unknown>)[RUN_ID],
        otherInitiating,
        batch,
        out,
        at,
        end,
        !first,
      );
      if (stop < 0) return -1;
      if (stop > at) first = false;
      at = stop;
      referred = writtenRunReferred;
      hasRun = true;
      skip = RUN.length - 1;
      continue;
    }
    const v = (row as Record<string, unknown>)[k];
    let json: string | undefined;
    if (typeof v === 'string') {
      const name = key(k);
      if (at + 1 + name.length > end) return -1;
      const from = at;
      if (!first) out[at++] = 0x2c; // ,
      at = copyKey(name, out, at);
      const stop = writeStringValue(v, out, at, end);
      if (stop === -1) return -1;
      if (stop >= 0) {
        at = stop;
        first = false;
        continue;
      }
      at = from; // beyond ASCII: through JSON.stringify below
      json = JSON.stringify(v);
    } else if (typeof v === 'number') json = Number.isFinite(v) ? String(v) : 'null';
    else if (typeof v === 'boolean') json = v ? 'true' : 'false';
    else if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    else json = JSON.stringify(v) as string | undefined; // null, objects, arrays (toJSON too)
    if (json === undefined) continue;
    const name = key(k);
    if (at + 1 + name.length + json.length * 3 > end) return -1;
    if (!first) out[at++] = 0x2c; // ,
    first = false;
    at = copyKey(name, out, at);
    at += out.write(json, at, 'utf8');
  }
  if (skip > 0) return writeWhole(row, out, start, batch);
  if (at + 1 > end) return -1;
  out[at++] = 0x7d; // }
  if (hasRun) commitRun(batch, otherInitiating);
  return at;
}

/**
 * A row written column by column, its run included: a later row of its process must not refer to the run kept for
 * it before (the server takes the last row of that id), so that run is forgotten for the batch.
 */
function writeWhole(row: object, out: Buffer, start: number, batch: BatchRuns | undefined): number {
  const id = (row as Record<string, unknown>)[RUN_ID];
  if (batch !== undefined && typeof id === 'string') batch.delete(id);
  return writeJsonRow(row, out, start, false);
}

/** `"@InitiatingProcess":"ID"` as bytes (the last one is kept: rows of one process come in runs). */
function referenceJson(id: string): Buffer {
  if (id === lastReferenceId) return lastReference;
  lastReferenceId = id;
  lastReference = Buffer.from(`${JSON.stringify(INITIATING_REFERENCE)}:${JSON.stringify(id)}`);
  return lastReference;
}
let lastReferenceId = '';
let lastReference = Buffer.alloc(0);
