import { describe, expect, it } from 'vitest';
import type { EvtxItem, EvtxProblem, EvtxRecord, XmlElement } from './evtx-types.js';
import { readEvtx, readEvtxBytes } from './read-evtx.js';
import { buildSyntheticEvtx, encode, type SyntheticEvent } from './synthetic-evtx.js';

const utf16 = (s: string) =>
  Uint8Array.from(s.split('').flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >>> 8]));

function sysmon(i: number): SyntheticEvent {
  return {
    provider: 'Microsoft-Windows-Sysmon',
    providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    eventId: 1,
    task: 1,
    timeCreated: `2024-03-01T10:00:${String(i % 60).padStart(2, '0')}.123456Z`,
    processId: 3544,
    threadId: 4272,
    channel: 'Microsoft-Windows-Sysmon/Operational',
    computer: 'host-1',
    userId: 'S-1-5-18',
    eventData: {
      RuleName: '-',
      ProcessGuid: encode.guid('{0197231E-005A-6928-A50B-000000000D00}'),
      ProcessId: 4460 + i,
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: `cmd.exe /c echo ${'x'.repeat(i % 300)}`,
    },
  };
}

/** A few hundred records over several chunks. */
const events = Array.from({ length: 400 }, (_, i) => sysmon(i));
const file = buildSyntheticEvtx(events);

const records = (items: EvtxItem[]) => items.filter((i): i is EvtxRecord => i.kind === 'record');
const problems = (items: EvtxItem[]) => items.filter((i): i is EvtxProblem => i.kind === 'problem');

async function collect(pieces: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<EvtxItem[]> {
  const out: EvtxItem[] = [];
  for await (const item of readEvtx(pieces, { file: 'x.evtx' })) out.push(item);
  return out;
}

function* pieces(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
}

describe('readEvtx on a synthetic file', () => {
  it('reads back every record with its System fields and EventData', () => {
    const items = readEvtxBytes(file);
    expect(problems(items)).toEqual([]);
    const recs = records(items);
    expect(recs).toHaveLength(events.length);
    expect(new Set(recs.map((r) => r.chunkIndex)).size).toBeGreaterThan(2);
    const r = recs[7] as EvtxRecord;
    expect(r.recordId).toBe(8);
    expect(r.written).toBe('2024-03-01T10:00:07.123456Z');
    expect(r.system).toEqual({
      provider: 'Microsoft-Windows-Sysmon',
      providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
      eventSourceName: null,
      eventId: 1,
      qualifiers: null,
      version: 0,
      level: 4,
      task: 1,
      opcode: 0,
      keywords: '0x8000000000000000',
      timeCreated: '2024-03-01T10:00:07.123456Z',
      eventRecordId: 8,
      activityId: null,
      relatedActivityId: null,
      processId: 3544,
      threadId: 4272,
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer: 'host-1',
      userId: 'S-1-5-18',
    });
    expect(r.eventData).toEqual({
      RuleName: '-',
      ProcessGuid: '{0197231E-005A-6928-A50B-000000000D00}',
      ProcessId: '4467',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      CommandLine: 'cmd.exe /c echo xxxxxxx',
    });
    expect(r.userData).toBeUndefined();
  });

  it('drops an attribute whose optional substitution is null, as Windows does', () => {
    const r = records(readEvtxBytes(file))[0] as EvtxRecord;
    const system = r.xml.children[0] as XmlElement;
    const correlation = system.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'Correlation');
    expect(correlation).toEqual({ name: 'Correlation', attributes: {}, children: [] });
  });

  it.each([1, 7, 100_000])('gives the same output when fed in %i-byte pieces', async (size) => {
    const whole = readEvtxBytes(file, { file: 'x.evtx' });
    expect(await collect(pieces(file, size))).toEqual(whole);
  });

  it('accepts an async source of Node-style buffers', async () => {
    async function* source() {
      yield* pieces(file, 65_536 * 3 + 11);
    }
    expect(records(await collect(source()))).toHaveLength(events.length);
  });
});

describe('value shapes through templates', () => {
  it('repeats the element of an array value once per item (MS-EVEN6 array expansion)', () => {
    const e: SyntheticEvent = {
      ...sysmon(0),
      eventData: { Names: { type: 0x81, bytes: utf16('a\0b\0\0c\0') }, Last: 'z' },
    };
    const r = records(readEvtxBytes(buildSyntheticEvtx([e])))[0] as EvtxRecord;
    expect(r.eventData).toEqual({ Names: ['a', 'b', '', 'c'], Last: 'z' });
    const eventData = r.xml.children[1] as XmlElement;
    expect(eventData.children.map((c) => (c as XmlElement).attributes.Name)).toEqual([
      'Names',
      'Names',
      'Names',
      'Names',
      'Last',
    ]);
  });

  it('renders a BinXML value (type 0x21) in place, and UserData in evtx_dump layout', () => {
    const text = (s: string) => ({ kind: 'text' as const, text: s });
    const el = (name: string, children: ReturnType<typeof text>[]) => ({
      kind: 'element' as const,
      name,
      attrs: [],
      children,
    });
    const userData = {
      kind: 'element' as const,
      name: 'LogFileCleared',
      attrs: [{ name: 'xmlns', value: text('http://manifests.microsoft.com/win/2004/08/windows/eventlog') }],
      children: [
        el('SubjectUserName', [text('admin01')]),
        el('SubjectLogonId', [text('0x4c331')]),
        el('Note', []),
        el('Note', [text('2')]),
      ],
    };
    const e: SyntheticEvent = { ...sysmon(0), eventData: {}, userData };
    // The second and third records name the elements by reference to the first one's inline names; the third's
    // elements leave out the dependency id.
    const items = readEvtxBytes(buildSyntheticEvtx([e, e, { ...e, userDataWithoutDependencyId: true }]));
    expect(problems(items)).toEqual([]);
    const [, r, r3] = records(items) as [EvtxRecord, EvtxRecord, EvtxRecord];
    expect(r3.userData).toEqual(r.userData);
    const alone = records(readEvtxBytes(buildSyntheticEvtx([{ ...e, userDataWithoutDependencyId: true }])));
    expect(alone[0]?.userData).toEqual(r.userData);
    expect(r.eventData).toBeUndefined();
    expect(r.userData).toEqual({
      LogFileCleared: {
        '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
        SubjectUserName: 'admin01',
        SubjectLogonId: '0x4c331',
        Note: '',
        Note_1: '2',
      },
    });
  });
});

describe('problems', () => {
  const codes = (items: EvtxItem[]) => problems(items).map((p) => p.code);
  const flip = (at: number) => {
    const b = file.slice();
    b[at] = (b[at] as number) ^ 0x01;
    return b;
  };
  const firstChunk = 4096;

  it('reports empty and short input as truncated', async () => {
    expect(codes(readEvtxBytes(new Uint8Array(0)))).toEqual(['EVTX_TRUNCATED']);
    expect(codes(await collect([]))).toEqual(['EVTX_TRUNCATED']);
    expect(codes(readEvtxBytes(file.slice(0, 100)))).toEqual(['EVTX_TRUNCATED']);
  });

  it('reports a bad header magic and a bad header CRC, and still reads the chunks', () => {
    for (const at of [0, 40]) {
      const items = readEvtxBytes(flip(at));
      expect(codes(items)).toEqual([at === 0 ? 'EVTX_BAD_HEADER' : 'EVTX_BAD_HEADER_CRC']);
      expect(records(items)).toHaveLength(events.length);
    }
  });

  it('reports a bad chunk header CRC and still reads its records', () => {
    const items = readEvtxBytes(flip(firstChunk + 8), { file: 'x.evtx' });
    expect(problems(items)).toEqual([
      expect.objectContaining({ code: 'EVTX_BAD_CHUNK_CRC', file: 'x.evtx', chunk: 0, offset: firstChunk + 0x7c }),
    ]);
    expect(records(items)).toHaveLength(events.length);
  });

  it('skips a chunk without its magic but reads the next ones', () => {
    const items = readEvtxBytes(flip(firstChunk));
    expect(codes(items)).toEqual(['EVTX_BAD_CHUNK']);
    const recs = records(items);
    expect(recs.length).toBeGreaterThan(0);
    expect(recs.every((r) => r.chunkIndex > 0)).toBe(true);
  });

  it('reports a broken record header with its offset, then finds the next record', () => {
    const at = firstChunk + 512;
    const items = readEvtxBytes(flip(at));
    expect(codes(items)).toEqual(['EVTX_BAD_DATA_CRC', 'EVTX_BAD_RECORD']);
    expect(problems(items)[1]).toMatchObject({ chunk: 0, offset: at });
    expect(records(items)).toHaveLength(events.length - 1);
  });

  it('reports undecodable BinXML in a record with the record number and goes on', () => {
    // The first record defines the template inline; break the token right after the fragment header.
    const at = firstChunk + 512 + 24 + 4;
    const b = file.slice();
    b[at] = 0xee;
    const items = readEvtxBytes(b);
    expect(codes(items)).toEqual(['EVTX_BAD_DATA_CRC', 'EVTX_BINXML']);
    expect(problems(items)[1]).toMatchObject({ record: 1, chunk: 0 });
    expect(records(items).length).toBeGreaterThan(0);
  });

  it('refuses elements nested too deeply and records that expand too far, without giving up the file', () => {
    type Tree = { kind: 'element'; name: string; attrs: never[]; children: Tree[] };
    let deep: Tree = { kind: 'element', name: 'Leaf', attrs: [], children: [] };
    for (let i = 0; i < 100; i++) deep = { kind: 'element', name: 'Nest', attrs: [], children: [deep] };
    const huge = { type: 0x84, bytes: new Uint8Array(51_000) };
    const items = readEvtxBytes(
      buildSyntheticEvtx([{ ...sysmon(0), userData: deep }, { ...sysmon(1), eventData: { Bytes: huge } }, sysmon(2)]),
    );
    expect(problems(items).map((p) => [p.code, p.record])).toEqual([
      ['EVTX_BINXML', 1],
      ['EVTX_BINXML', 2],
    ]);
    expect(problems(items)[0]?.message).toMatch(/nest too deeply/);
    expect(problems(items)[1]?.message).toMatch(/more than 50000 elements/);
    expect(records(items).map((r) => r.recordId)).toEqual([3]);
  });

  it('reads the records of a truncated last chunk that are complete', () => {
    const cut = file.slice(0, 4096 + 65536 + 20000);
    const items = readEvtxBytes(cut);
    expect(codes(items)).toEqual(['EVTX_TRUNCATED']);
    const second = records(items).filter((r) => r.chunkIndex === 1);
    expect(second.length).toBeGreaterThan(0);
    expect(second.every((r) => r.offset + 24 <= cut.length)).toBe(true);
  });
});
