import { createReadStream, readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import type { Diagnostic } from '@vigil/base';
import { readEvtx } from '@vigil/evtx';
import {
  fromEvtxDumpJson,
  fromEvtxRecord,
  fromSecurityDatasetsJson,
  fromSysmonLinuxXml,
  normalizeWindowsEvent,
  splitConcatenatedJson,
  type WindowsEvent,
} from '@vigil/windows';
import { unzipSync } from 'fflate';
import type { TelemetryFormat, TelemetryItem } from './telemetry-item.js';

/** Zips are read whole; a larger one is refused with a clear error. */
const MAX_ZIP_BYTES = 512 * 1024 * 1024;

function problem(
  code: string,
  message: string,
  file: string,
  extra: Partial<Diagnostic['location']> = {},
): TelemetryItem {
  return { kind: 'problem', diagnostic: { code, message, severity: 'error', location: { file, ...extra } } };
}

function eventRow(e: WindowsEvent, source: string): TelemetryItem {
  const n = normalizeWindowsEvent(e);
  return {
    kind: 'row',
    table: n.table,
    row: n.row,
    source,
    channel: e.channel,
    eventId: e.eventId,
    ...(n.original ? { original: n.original } : {}),
  };
}

/** Guesses the format of a file from its extension and first bytes. */
export function detectFormat(file: string, head: string): TelemetryFormat {
  const ext = extname(file).toLowerCase();
  if (ext === '.evtx' || head.startsWith('ElfFile')) return 'evtx';
  if (ext === '.zip' || head.startsWith('PK\u0003\u0004')) return 'zip';
  const t = head.trimStart();
  if (t.startsWith('<')) return 'sysmon-linux-xml';
  if (/^\{\s*"Table"\s*:/.test(t)) return 'rows';
  if (/^\{\s*"Event"\s*:/.test(t)) return 'evtx-json';
  return 'security-datasets';
}

/** Reads one file of any supported format into hunting rows (Windows events are normalized). */
export async function* readTelemetry(file: string): AsyncGenerator<TelemetryItem> {
  const head = readHead(file);
  const format = detectFormat(file, head);
  switch (format) {
    case 'evtx':
      yield* readEvtxFile(file);
      return;
    case 'zip':
      yield* readZip(file);
      return;
    case 'evtx-json':
      yield* readEvtxJson(readFileSync(file, 'utf8'), file);
      return;
    default:
      yield* readLines(
        createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY }),
        file,
        format,
      );
  }
}

function readHead(file: string): string {
  const fd = readFileSync(file, { flag: 'r' }).subarray(0, 256);
  return Buffer.from(fd).toString('latin1');
}

async function* readEvtxFile(file: string): AsyncGenerator<TelemetryItem> {
  // Only the fields are normalized: the reader need not build the XML tree.
  for await (const item of readEvtx(createReadStream(file, { highWaterMark: 65536 }) as AsyncIterable<Uint8Array>, {
    file,
    xml: false,
  })) {
    if (item.kind === 'problem') {
      yield problem(item.code, item.message, file, { offset: item.offset });
      continue;
    }
    const e = fromEvtxRecord(item);
    if (!e.ok) yield problem(e.error.code, e.error.message, file, { offset: item.offset });
    else yield eventRow(e.value, `${file}:${item.recordId}`);
  }
}

function* readEvtxJson(text: string, file: string): Generator<TelemetryItem> {
  let n = 0;
  for (const piece of splitConcatenatedJson(text)) {
    if (!piece.ok) {
      yield { kind: 'problem', diagnostic: { ...piece.error, location: { ...piece.error.location, file } } };
      continue;
    }
    n++;
    const e = fromEvtxDumpJson(piece.value.value);
    if (!e.ok) yield problem(e.error.code, e.error.message, file, { line: piece.value.line });
    else yield eventRow(e.value, `${file}:${n}`);
  }
}

async function* readLines(
  lines: AsyncIterable<string>,
  file: string,
  format: TelemetryFormat,
): AsyncGenerator<TelemetryItem> {
  let lineNo = 0;
  let seenEvent = false;
  for await (const line of lines) {
    lineNo++;
    const t = line.trim();
    if (t === '') continue;
    if (format === 'sysmon-linux-xml') {
      if (!t.startsWith('<Event')) continue;
      const e = fromSysmonLinuxXml(t);
      if (!e.ok) yield problem(e.error.code, e.error.message, file, { line: lineNo });
      else yield eventRow(e.value, `${file}:${lineNo}`);
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch (err) {
      yield problem('IMPORT_INVALID_JSON', `not valid JSON: ${(err as Error).message}`, file, { line: lineNo });
      continue;
    }
    if (format === 'rows') {
      const { Table, ...row } = parsed as Record<string, unknown>;
      yield { kind: 'row', table: String(Table), row: { Table, ...row }, source: `${file}:${lineNo}` };
      continue;
    }
    const e = fromSecurityDatasetsJson(parsed);
    if (!e.ok && !seenEvent) {
      // The first line is no event: this is not a telemetry file (a manifest, say); say so once and skip it.
      yield problem(
        'IMPORT_UNKNOWN_FORMAT',
        `not a telemetry file (line ${lineNo}: ${e.error.message}); skipped`,
        file,
      );
      return;
    }
    seenEvent = true;
    if (!e.ok) yield problem(e.error.code, e.error.message, file, { line: lineNo });
    else yield eventRow(e.value, `${file}:${lineNo}`);
  }
}

async function* readZip(file: string): AsyncGenerator<TelemetryItem> {
  const size = statSync(file).size;
  if (size > MAX_ZIP_BYTES) {
    yield problem('IMPORT_ZIP_TOO_LARGE', `the zip is ${size} bytes; unpack it and import the folder`, file);
    return;
  }
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(readFileSync(file));
  } catch (e) {
    yield problem('IMPORT_BAD_ZIP', `not a readable zip: ${(e as Error).message}`, file);
    return;
  }
  for (const [name, data] of Object.entries(members).sort(([a], [b]) => a.localeCompare(b))) {
    // Junk entries of archives made on macOS, and folders.
    if (name.endsWith('/') || name.startsWith('__MACOSX/') || name.split('/').pop()?.startsWith('._')) continue;
    const where = `${file}!${name}`;
    const head = Buffer.from(data.subarray(0, 256)).toString('latin1');
    const format = detectFormat(name, head);
    if (format === 'evtx') {
      for await (const item of readEvtx([data], { file: where, xml: false })) {
        if (item.kind === 'problem') yield problem(item.code, item.message, where, { offset: item.offset });
        else {
          const e = fromEvtxRecord(item);
          if (!e.ok) yield problem(e.error.code, e.error.message, where, { offset: item.offset });
          else yield eventRow(e.value, `${where}:${item.recordId}`);
        }
      }
    } else if (format === 'evtx-json') {
      yield* readEvtxJson(Buffer.from(data).toString('utf8'), where);
    } else if (format !== 'zip') {
      const stream = Readable.from([Buffer.from(data)]);
      yield* readLines(createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }), where, format);
    }
  }
}
