// The file level: a 4096-byte header, then 64 KiB chunks to the end of the input. The streaming reader re-cuts
// whatever pieces it is given into those blocks, holding at most one chunk of its own plus the current piece.
import type { EvtxFieldsItem, EvtxItem, ReadEvtxOptions } from './evtx-types.js';
import { CHUNK_SIZE, checkFileHeader, HEADER_SIZE, problem, readChunk } from './read-chunk.js';

/** Reads the header or chunk that starts at absolute `offset`. */
function readBlock(
  block: Uint8Array,
  offset: number,
  file: string | undefined,
  xml: boolean,
): Iterable<EvtxFieldsItem> {
  if (offset === 0) return checkFileHeader(block, file);
  return readChunk(block, { file, index: (offset - HEADER_SIZE) / CHUNK_SIZE, offset, xml });
}

/** Options that keep the tree: records are EvtxRecord. */
type WithXml = ReadEvtxOptions & { xml?: true };
/** Options that leave the tree out: records are EvtxFieldsRecord. */
type WithoutXml = ReadEvtxOptions & { xml: false };

function emptyInput(file: string | undefined): EvtxItem[] {
  return [problem('EVTX_TRUNCATED', 'the input is empty', { file, offset: 0 }, 0)];
}

/**
 * Reads an EVTX file from a stream of byte pieces of any sizes, yielding records and problems in file order. Memory
 * stays at one chunk whatever the file size. Bad data is reported as problems and never thrown; errors of the
 * source itself propagate.
 */
export function readEvtx(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: WithXml,
): AsyncGenerator<EvtxItem, void, undefined>;
export function readEvtx(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: WithoutXml,
): AsyncGenerator<EvtxFieldsItem, void, undefined>;
export function readEvtx(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options?: ReadEvtxOptions,
): AsyncGenerator<EvtxFieldsItem, void, undefined>;
export async function* readEvtx(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ReadEvtxOptions = {},
): AsyncGenerator<EvtxFieldsItem, void, undefined> {
  const file = options.file;
  const xml = options.xml ?? true;
  const buffer = new Uint8Array(CHUNK_SIZE);
  let fill = 0;
  let offset = 0;
  for await (const piece of source) {
    let i = 0;
    while (i < piece.length) {
      const blockSize = offset === 0 ? HEADER_SIZE : CHUNK_SIZE;
      let block: Uint8Array;
      if (fill === 0 && piece.length - i >= blockSize) {
        // A whole block inside the piece: read it in place, no copy.
        block = piece.subarray(i, i + blockSize);
        i += blockSize;
      } else {
        const n = Math.min(blockSize - fill, piece.length - i);
        buffer.set(piece.subarray(i, i + n), fill);
        fill += n;
        i += n;
        if (fill < blockSize) break;
        block = buffer.subarray(0, blockSize);
        fill = 0;
      }
      for (const item of readBlock(block, offset, file, xml)) yield item;
      offset += blockSize;
    }
  }
  if (fill > 0) for (const item of readBlock(buffer.subarray(0, fill), offset, file, xml)) yield item;
  else if (offset === 0) for (const item of emptyInput(file)) yield item;
}

/** Reads a whole EVTX file held in memory; the synchronous twin of `readEvtx`. */
export function readEvtxBytes(bytes: Uint8Array, options?: WithXml): EvtxItem[];
export function readEvtxBytes(bytes: Uint8Array, options: WithoutXml): EvtxFieldsItem[];
export function readEvtxBytes(bytes: Uint8Array, options?: ReadEvtxOptions): EvtxFieldsItem[];
export function readEvtxBytes(bytes: Uint8Array, options: ReadEvtxOptions = {}): EvtxFieldsItem[] {
  const file = options.file;
  const xml = options.xml ?? true;
  if (bytes.length === 0) return emptyInput(file);
  const out: EvtxFieldsItem[] = checkFileHeader(bytes.subarray(0, HEADER_SIZE), file);
  for (let offset = HEADER_SIZE; offset < bytes.length; offset += CHUNK_SIZE) {
    for (const item of readBlock(bytes.subarray(offset, offset + CHUNK_SIZE), offset, file, xml)) out.push(item);
  }
  return out;
}
