// One 64 KiB chunk: header checks (magic, CRC32 of the header, CRC32 of the records data), then its records.
// Broken parts are reported and skipped; nothing here throws for bad data.
import { BinXmlError } from './binxml-error.js';
import { ChunkDecoder } from './binxml-render.js';
import { u32, u64n } from './bytes.js';
import { crc32 } from './crc32.js';
import { readEventData, readSystem, readUserData } from './event-fields.js';
import type {
  EvtxFieldsItem,
  EvtxFieldsRecord,
  EvtxProblem,
  EvtxProblemCode,
  EvtxRecord,
  XmlElement,
  XmlNode,
} from './evtx-types.js';
import { filetimeText } from './win-time.js';

/** Size of a chunk. */
export const CHUNK_SIZE = 65536;
/** Size of the file header block. */
export const HEADER_SIZE = 4096;
/** Records start after the chunk header, its string table (64 offsets) and template table (32 offsets). */
const RECORDS_START = 512;
const RECORD_MAGIC = 0x00002a2a;
/** Magic, size, record number, written time, then BinXML, then the size again. */
const RECORD_HEADER = 24;

/** Where the current chunk sits, for problem locations. */
export interface ChunkPlace {
  file: string | undefined;
  index: number;
  /** Absolute file offset of the chunk. */
  offset: number;
  /** False: records carry their fields without the XML tree (see ReadEvtxOptions.xml). */
  xml: boolean;
}

/** Builds a problem; `at` is relative to `place.offset`. */
export function problem(
  code: EvtxProblemCode,
  message: string,
  place: { file: string | undefined; index?: number; offset: number },
  at: number,
  record?: number,
): EvtxProblem {
  const p: EvtxProblem = { kind: 'problem', code, message, offset: place.offset + at };
  if (place.file !== undefined) p.file = place.file;
  if (place.index !== undefined) p.chunk = place.index;
  if (record !== undefined) p.record = record;
  return p;
}

function isAllZero(b: Uint8Array): boolean {
  let i = 0;
  if (b.byteOffset % 4 === 0) {
    // Word at a time where the view is aligned: unused chunks are common (preallocated files).
    const words = new Int32Array(b.buffer, b.byteOffset, b.length >>> 2);
    const n = words.length & ~7;
    // Eight words per test: one branch per 32 bytes.
    for (; i < n; i += 8) {
      const any =
        (words[i] as number) |
        (words[i + 1] as number) |
        (words[i + 2] as number) |
        (words[i + 3] as number) |
        (words[i + 4] as number) |
        (words[i + 5] as number) |
        (words[i + 6] as number) |
        (words[i + 7] as number);
      if (any !== 0) return false;
    }
    for (; i < words.length; i++) if (words[i] !== 0) return false;
    i *= 4;
  }
  for (; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

function hasMagic(b: Uint8Array, p: number, magic: string): boolean {
  for (let i = 0; i < magic.length; i++) if (b[p + i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** Checks the 4096-byte file header (magic `ElfFile\0`, CRC32 of its first 120 bytes). */
export function checkFileHeader(b: Uint8Array, file: string | undefined): EvtxProblem[] {
  const place = { file, offset: 0 };
  if (b.length < HEADER_SIZE) {
    return [problem('EVTX_TRUNCATED', `the input has ${b.length} bytes, less than a file header (4096)`, place, 0)];
  }
  if (!hasMagic(b, 0, 'ElfFile\0')) {
    return [problem('EVTX_BAD_HEADER', 'the file does not start with "ElfFile\\0": not an EVTX file?', place, 0)];
  }
  const stored = u32(b, 0x7c);
  const actual = crc32(b, 0, 120);
  if (stored !== actual) {
    const message = `file header CRC32 is 0x${actual.toString(16)}, header says 0x${stored.toString(16)}`;
    return [problem('EVTX_BAD_HEADER_CRC', message, place, 0x7c)];
  }
  return [];
}

/**
 * Reads one chunk (a partial chunk at the end of the input too) into records and problems. A generator, so that a
 * consumer that drops each record lets it die young instead of holding a whole chunk of them.
 */
export function* readChunk(b: Uint8Array, place: ChunkPlace): Generator<EvtxFieldsItem, void, undefined> {
  const out: EvtxFieldsItem[] = [];
  const truncated = b.length < CHUNK_SIZE;
  if (truncated) {
    yield problem('EVTX_TRUNCATED', `the last chunk has ${b.length} of ${CHUNK_SIZE} bytes`, place, 0);
    if (b.length < RECORDS_START) return;
  }
  if (!hasMagic(b, 0, 'ElfChnk\0')) {
    // Log files are preallocated: unused chunks are all zeros and are not a problem.
    if (!isAllZero(b)) yield problem('EVTX_BAD_CHUNK', 'chunk does not start with "ElfChnk\\0"', place, 0);
    return;
  }
  const headerCrc = crc32(b, 128, RECORDS_START, crc32(b, 0, 120));
  if (headerCrc !== u32(b, 0x7c)) {
    const message = `chunk header CRC32 is 0x${headerCrc.toString(16)}, header says 0x${u32(b, 0x7c).toString(16)}`;
    out.push(problem('EVTX_BAD_CHUNK_CRC', message, place, 0x7c));
  }
  let dataEnd = u32(b, 0x30);
  if (dataEnd < RECORDS_START || dataEnd > CHUNK_SIZE) {
    out.push(problem('EVTX_BAD_CHUNK', `chunk says its records end at ${dataEnd}; reading to its end`, place, 0x30));
    dataEnd = b.length;
  } else if (dataEnd > b.length) {
    dataEnd = b.length;
  } else {
    const dataCrc = crc32(b, RECORDS_START, dataEnd);
    if (dataCrc !== u32(b, 0x34)) {
      const message = `records data CRC32 is 0x${dataCrc.toString(16)}, chunk header says 0x${u32(b, 0x34).toString(16)}`;
      out.push(problem('EVTX_BAD_DATA_CRC', message, place, 0x34));
    }
  }
  yield* out;
  yield* readRecords(b, place, dataEnd);
}

/** A record header at `p` is plausible: magic, a size that fits, and the copy of the size at its end. */
function recordSize(b: Uint8Array, p: number, end: number): number {
  if (p + RECORD_HEADER + 4 > end || u32(b, p) !== RECORD_MAGIC) return 0;
  const size = u32(b, p + 4);
  if (size < RECORD_HEADER + 4 || p + size > end || u32(b, p + size - 4) !== size) return 0;
  return size;
}

function* readRecords(b: Uint8Array, place: ChunkPlace, end: number): Generator<EvtxFieldsItem, void, undefined> {
  const decoder = new ChunkDecoder(b);
  let p = RECORDS_START;
  while (p + RECORD_HEADER <= end) {
    const size = recordSize(b, p, end);
    if (size === 0 && b.length < CHUNK_SIZE && p + u32(b, p + 4) > b.length && u32(b, p) === RECORD_MAGIC) {
      return; // the record the input was cut in: already reported as EVTX_TRUNCATED
    }
    if (size === 0) {
      const next = resync(b, p + 8, end);
      const skipped = next < 0 ? 'the rest of the chunk' : `${next - p} bytes`;
      yield problem('EVTX_BAD_RECORD', `broken record header; skipped ${skipped}`, place, p);
      if (next < 0) return;
      p = next;
      continue;
    }
    const recordId = u64n(b, p + 8);
    let item: EvtxFieldsItem;
    try {
      item = makeRecord(b, decoder, p, size, recordId, place);
    } catch (e) {
      const at = e instanceof BinXmlError ? e.at : p;
      const message = e instanceof Error ? e.message : String(e);
      item = problem('EVTX_BINXML', `record ${recordId}: ${message}`, place, at, recordId);
    }
    p += size;
    yield item;
  }
}

/** The next offset at or after `from` (8-byte steps, as records are 8-byte aligned) holding a plausible record. */
function resync(b: Uint8Array, from: number, end: number): number {
  for (let p = from; p + RECORD_HEADER <= end; p += 8) if (recordSize(b, p, end) > 0) return p;
  return -1;
}

function makeRecord(
  b: Uint8Array,
  decoder: ChunkDecoder,
  p: number,
  size: number,
  recordId: number,
  place: ChunkPlace,
): EvtxRecord | EvtxFieldsRecord {
  const written = filetimeText(u32(b, p + 16), u32(b, p + 20));
  const offset = place.offset + p;
  const planned = place.xml ? undefined : decoder.fields(p + RECORD_HEADER, p + size - 4);
  if (planned !== undefined) {
    const system = planned.system;
    const record: EvtxFieldsRecord = { kind: 'record', recordId, written, chunkIndex: place.index, offset, system };
    if (planned.eventData !== undefined) record.eventData = planned.eventData;
    return record;
  }
  const xml = eventElement(decoder.render(p + RECORD_HEADER, p + size - 4), p + RECORD_HEADER);
  let system: XmlElement | undefined;
  let eventData: XmlElement | undefined;
  let userData: XmlElement | undefined;
  for (const c of xml.children) {
    if (typeof c === 'string') continue;
    if (c.name === 'System') system = c;
    else if (c.name === 'EventData') eventData = c;
    else if (c.name === 'UserData') userData = c;
  }
  const record: EvtxFieldsRecord = {
    kind: 'record',
    recordId,
    written,
    chunkIndex: place.index,
    offset,
    system: readSystem(system),
  };
  if (place.xml) (record as EvtxRecord).xml = xml;
  if (eventData !== undefined) record.eventData = readEventData(eventData);
  if (userData !== undefined) {
    const plain = readUserData(userData);
    if (plain !== undefined) record.userData = plain;
  }
  return record;
}

/** The first element of a rendered record: the event. */
function eventElement(nodes: readonly XmlNode[], at: number): XmlElement {
  for (const n of nodes) if (typeof n !== 'string') return n;
  throw new BinXmlError('record holds no XML element', at);
}
