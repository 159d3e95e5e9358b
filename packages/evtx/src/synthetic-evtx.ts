// Builds small, valid EVTX files from event descriptions: file header, chunks with CRCs, records whose BinXML uses
// templates (defined inline at first use in each chunk) and typed substitution values. For tests, fixtures and
// benchmarks; the output reads back with `readEvtx` to the same fields.
import { ByteWriter, ChunkBinXml, type WNode } from './binxml-writer.js';
import { crc32 } from './crc32.js';
import { CHUNK_SIZE, HEADER_SIZE } from './read-chunk.js';

/**
 * A substitution value: an MS-EVEN6 type code and raw bytes (arrays: type | 0x80), or a BinXML value (type 0x21)
 * given as an element tree, written as a fragment of its own in place.
 */
export type SyntheticValue =
  | { type: number; bytes: Uint8Array }
  | { type: 0x21; xml: SyntheticXml; dependencyId?: boolean };

/** An element tree for BinXML values and UserData. */
export type SyntheticXml = WNode;

/** An event to write. Strings in `eventData` are written as UTF-16 strings, numbers as uint32. */
export interface SyntheticEvent {
  provider: string;
  providerGuid?: string;
  eventId: number;
  level?: number;
  task?: number;
  opcode?: number;
  /** Hex, `0x8000000000000000`. */
  keywords?: string;
  /** ISO-8601 UTC, microseconds at most: `2024-01-02T03:04:05.123456Z`. */
  timeCreated: string;
  activityId?: string;
  processId?: number;
  threadId?: number;
  channel: string;
  computer: string;
  userId?: string;
  eventData?: Record<string, string | number | SyntheticValue>;
  /** Written instead of EventData: `<UserData>` holding this tree as a BinXML value. */
  userData?: SyntheticXml;
  /** Write the UserData elements without dependency ids (a layout some writers use outside templates). */
  userDataWithoutDependencyId?: boolean;
}

const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** Encoders of typed values, for `SyntheticEvent.eventData` and the system fields. */
export const encode = {
  string: (s: string): SyntheticValue => ({ type: 0x01, bytes: utf16Bytes(s) }),
  uint8: (n: number): SyntheticValue => ({ type: 0x04, bytes: Uint8Array.of(n) }),
  uint16: (n: number): SyntheticValue => ({ type: 0x06, bytes: Uint8Array.of(n, n >>> 8) }),
  uint32: (n: number): SyntheticValue => ({ type: 0x08, bytes: le(BigInt(n), 4) }),
  uint64: (n: bigint): SyntheticValue => ({ type: 0x0a, bytes: le(n, 8) }),
  hex64: (n: bigint): SyntheticValue => ({ type: 0x15, bytes: le(n, 8) }),
  filetime: (iso: string): SyntheticValue => ({ type: 0x11, bytes: le(isoToFiletime(iso), 8) }),
  guid: (g: string): SyntheticValue => ({ type: 0x0f, bytes: guidBytes(g) }),
  sid: (s: string): SyntheticValue => ({ type: 0x13, bytes: sidBytes(s) }),
};

function utf16Bytes(s: string): Uint8Array {
  const b = new Uint8Array(2 * s.length);
  for (let i = 0; i < s.length; i++) {
    b[2 * i] = s.charCodeAt(i) & 0xff;
    b[2 * i + 1] = s.charCodeAt(i) >>> 8;
  }
  return b;
}

function le(v: bigint, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  return b;
}

function isoToFiletime(iso: string): bigint {
  const m = /\.(\d{1,6})Z$/.exec(iso);
  const micros = m ? Number((m[1] as string).padEnd(6, '0')) : 0;
  const seconds = Math.floor(Date.parse(iso.replace(/\.\d+Z$/, 'Z')) / 1000);
  return (BigInt(seconds) + 11644473600n) * 10000000n + BigInt(micros) * 10n;
}

function guidBytes(g: string): Uint8Array {
  const h = g.replace(/[{}-]/g, '');
  const byte = (i: number) => Number.parseInt(h.slice(2 * i, 2 * i + 2), 16);
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order, byte);
}

function sidBytes(s: string): Uint8Array {
  const [, rev, auth, ...subs] = s.split('-').map(Number);
  const b = new Uint8Array(8 + 4 * subs.length);
  b[0] = rev ?? 1;
  b[1] = subs.length;
  b.set(le(BigInt(auth ?? 0), 6).reverse(), 2);
  subs.forEach((v, i) => {
    b.set(le(BigInt(v), 4), 8 + 4 * i);
  });
  return b;
}

const elem = (name: string, attrs: { name: string; value: WNode }[], children: WNode[] = []): WNode => ({
  kind: 'element',
  name,
  attrs,
  children,
});
const sub = (index: number, type: number, optional = false): WNode => ({ kind: 'sub', index, type, optional });

/** The values of an event in template order, and the template they fill. */
function eventValues(e: SyntheticEvent, recordId: number): SyntheticValue[] {
  const none: SyntheticValue = { type: 0, bytes: new Uint8Array(0) };
  const values = [
    encode.string(e.provider),
    e.providerGuid === undefined ? none : encode.guid(e.providerGuid),
    encode.uint16(e.eventId),
    encode.uint8(0),
    encode.uint8(e.level ?? 4),
    encode.uint16(e.task ?? 0),
    encode.uint8(e.opcode ?? 0),
    encode.hex64(BigInt(e.keywords ?? '0x8000000000000000')),
    encode.filetime(e.timeCreated),
    encode.uint64(BigInt(recordId)),
    e.activityId === undefined ? none : encode.guid(e.activityId),
    encode.uint32(e.processId ?? 4),
    encode.uint32(e.threadId ?? 8),
    encode.string(e.channel),
    encode.string(e.computer),
    e.userId === undefined ? none : encode.sid(e.userId),
  ];
  for (const v of Object.values(e.eventData ?? {})) {
    values.push(typeof v === 'string' ? encode.string(v) : typeof v === 'number' ? encode.uint32(v) : v);
  }
  if (e.userData !== undefined) {
    values.push({ type: 0x21, xml: e.userData, dependencyId: e.userDataWithoutDependencyId !== true });
  }
  return values;
}

function eventTemplate(e: SyntheticEvent, values: SyntheticValue[]): WNode {
  const text = (s: string): WNode => ({ kind: 'text', text: s });
  const v = (i: number, optional = false) => sub(i, values[i]?.type ?? 0, optional);
  const system = elem(
    'System',
    [],
    [
      elem('Provider', [
        { name: 'Name', value: v(0) },
        { name: 'Guid', value: v(1, true) },
      ]),
      ...['EventID', 'Version', 'Level', 'Task', 'Opcode', 'Keywords'].map((n, i) => elem(n, [], [v(2 + i)])),
      elem('TimeCreated', [{ name: 'SystemTime', value: v(8) }]),
      elem('EventRecordID', [], [v(9)]),
      elem('Correlation', [{ name: 'ActivityID', value: v(10, true) }]),
      elem('Execution', [
        { name: 'ProcessID', value: v(11) },
        { name: 'ThreadID', value: v(12) },
      ]),
      elem('Channel', [], [v(13)]),
      elem('Computer', [], [v(14)]),
      elem('Security', [{ name: 'UserID', value: v(15, true) }]),
    ],
  );
  const data = Object.keys(e.eventData ?? {}).map((name, i) =>
    elem('Data', [{ name: 'Name', value: text(name) }], [v(16 + i, true)]),
  );
  const payload = e.userData === undefined ? elem('EventData', [], data) : elem('UserData', [], [v(values.length - 1)]);
  return elem('Event', [{ name: 'xmlns', value: text(NS) }], [system, payload]);
}

/** One chunk being filled: its records area and the templates already defined in it. */
class ChunkBuilder {
  readonly w = new ByteWriter(512);
  readonly binxml = new ChunkBinXml();
  readonly templates = new Map<string, number>();
  first = 0;
  last = 0;
  lastOffset = 0;
}

/** The BinXML of one record: fragment header, template instance (defining the template at first use), values. */
function writeRecord(c: ChunkBuilder, e: SyntheticEvent, recordId: number, written: bigint): void {
  const w = c.w;
  const start = w.pos;
  w.u32(0x2a2a).u32(0).u64(BigInt(recordId)).u64(written);
  const values = eventValues(e, recordId);
  const key = `${Object.keys(e.eventData ?? {}).join('\0')}|${values.map((v) => v.type).join(',')}`;
  w.u8(0x0f)
    .u8(1)
    .u8(1)
    .u8(0)
    .u8(0x0c)
    .u8(1)
    .u32(c.templates.size + 1);
  let def = c.templates.get(key);
  if (def === undefined) {
    def = w.pos + 4;
    c.templates.set(key, def);
    w.u32(def).u32(0).bytes(new Uint8Array(16));
    const sizeAt = w.pos;
    w.u32(0).u8(0x0f).u8(1).u8(1).u8(0);
    c.binxml.node(w, eventTemplate(e, values));
    w.u8(0x00);
    w.patch32(sizeAt, w.pos - sizeAt - 4);
  } else {
    w.u32(def);
  }
  w.u32(values.length);
  const encoded = valueBytes(c, values, w.pos + 4 * values.length);
  values.forEach((v, i) => {
    w.u16(encoded[i]?.length ?? 0)
      .u8(v.type)
      .u8(0);
  });
  for (const b of encoded) w.bytes(b);
  w.u8(0x00);
  while ((w.pos - start + 4) % 8 !== 0) w.u8(0);
  const size = w.pos - start + 4;
  w.u32(size);
  w.patch32(start + 4, size);
  c.lastOffset = start;
}

/** The bytes of each value; BinXML values are written for the chunk offset `at` where they will sit. */
function valueBytes(c: ChunkBuilder, values: SyntheticValue[], at: number): Uint8Array[] {
  return values.map((v) => {
    if ('bytes' in v) {
      at += v.bytes.length;
      return v.bytes;
    }
    const w = new ByteWriter(at);
    w.u8(0x0f).u8(1).u8(1).u8(0);
    c.binxml.dependencyId = v.dependencyId ?? true;
    c.binxml.node(w, v.xml);
    c.binxml.dependencyId = true;
    w.u8(0x00);
    at += w.length;
    return w.done();
  });
}

function finishChunk(c: ChunkBuilder): Uint8Array {
  const chunk = new Uint8Array(CHUNK_SIZE);
  const h = new ByteWriter(0);
  h.bytes(new TextEncoder().encode('ElfChnk\0')).u64(BigInt(c.first)).u64(BigInt(c.last)).u64(BigInt(c.first));
  h.u64(BigInt(c.last)).u32(128).u32(c.lastOffset).u32(c.w.pos);
  chunk.set(h.done(), 0);
  chunk.set(c.w.done(), 512);
  new DataView(chunk.buffer).setUint32(0x34, crc32(chunk, 512, c.w.pos), true);
  new DataView(chunk.buffer).setUint32(0x7c, crc32(chunk, 128, 512, crc32(chunk, 0, 120)), true);
  return chunk;
}

function fileHeader(chunks: number, nextRecord: number): Uint8Array {
  const b = new Uint8Array(HEADER_SIZE);
  const h = new ByteWriter(0);
  h.bytes(new TextEncoder().encode('ElfFile\0'))
    .u64(0n)
    .u64(BigInt(Math.max(chunks - 1, 0)))
    .u64(BigInt(nextRecord));
  h.u32(128).u16(1).u16(3).u16(HEADER_SIZE).u16(chunks);
  b.set(h.done(), 0);
  new DataView(b.buffer).setUint32(0x7c, crc32(b, 0, 120), true);
  return b;
}

/** Builds an EVTX file holding `events` as records 1..n, starting a new chunk whenever one is full. */
export function buildSyntheticEvtx(events: readonly SyntheticEvent[]): Uint8Array {
  const chunks: Uint8Array[] = [];
  let c = new ChunkBuilder();
  events.forEach((e, i) => {
    const recordId = i + 1;
    const written = isoToFiletime(e.timeCreated);
    // Room for the values, their descriptors and a template definition; a new chunk when that may not fit.
    const values = eventValues(e, recordId);
    const size = (v: SyntheticValue) => ('bytes' in v ? v.bytes.length : 2 * JSON.stringify(v.xml).length);
    const estimate = 8192 + values.reduce((n, v) => n + size(v) + 4, 0) + 64 * values.length;
    if (estimate > CHUNK_SIZE - 512) throw new RangeError(`event ${i} is too large for a chunk`);
    if (c.last > 0 && c.w.pos + estimate > CHUNK_SIZE) {
      chunks.push(finishChunk(c));
      c = new ChunkBuilder();
    }
    if (c.first === 0) c.first = recordId;
    c.last = recordId;
    writeRecord(c, e, recordId, written);
  });
  if (c.last > 0) chunks.push(finishChunk(c));
  const out = new Uint8Array(HEADER_SIZE + CHUNK_SIZE * chunks.length);
  out.set(fileHeader(chunks.length, events.length + 1), 0);
  chunks.forEach((chunk, i) => {
    out.set(chunk, HEADER_SIZE + i * CHUNK_SIZE);
  });
  return out;
}
