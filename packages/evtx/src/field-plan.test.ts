// Records read without the tree (field plans) must equal the records read with it, minus `xml`: checked over every
// file of the attack-samples corpus and a synthetic log with arrays, BinXML values and UserData.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChunkDecoder } from './binxml-render.js';
import type { EvtxItem } from './evtx-types.js';
import { CHUNK_SIZE, HEADER_SIZE } from './read-chunk.js';
import { readEvtx, readEvtxBytes } from './read-evtx.js';
import { buildSyntheticEvtx, encode } from './synthetic-evtx.js';

const corpora = process.env.VIGIL_CORPORA ?? fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const attackDir = join(corpora, 'evtx-attack-samples');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const withoutXml = (items: readonly EvtxItem[]) =>
  items.map((i) => {
    if (i.kind !== 'record') return i;
    const { xml: _, ...rest } = i;
    return rest;
  });

function synthetic(): Uint8Array {
  return buildSyntheticEvtx(
    Array.from({ length: 60 }, (_, i) => ({
      provider: 'Microsoft-Windows-Security-Auditing',
      eventId: 4624 + (i % 3),
      timeCreated: '2024-05-06T07:08:09.000001Z',
      channel: 'Security',
      computer: 'dc01.example.org',
      userId: 'S-1-5-21-1-2-3-500',
      eventData:
        i % 3 === 0
          ? { TargetUserName: `user${i}`, LogonType: 3, TargetLogonId: encode.hex64(BigInt(i)) }
          : { SubjectUserSid: encode.sid('S-1-5-18'), Names: { type: 0x81, bytes: new Uint8Array([0x61, 0, 0, 0]) } },
    })),
  );
}

const u32 = (b: Uint8Array, p: number) =>
  ((b[p] ?? 0) | ((b[p + 1] ?? 0) << 8) | ((b[p + 2] ?? 0) << 16)) + (b[p + 3] ?? 0) * 2 ** 24;

/** How many records of a file a field plan reads (the rest fall back to the tree). */
function plannedShare(bytes: Uint8Array): { planned: number; records: number } {
  let planned = 0;
  let records = 0;
  for (let at = HEADER_SIZE; at + CHUNK_SIZE <= bytes.length; at += CHUNK_SIZE) {
    const chunk = bytes.subarray(at, at + CHUNK_SIZE);
    const decoder = new ChunkDecoder(chunk);
    for (let p = 512; p + 24 <= CHUNK_SIZE && u32(chunk, p) === 0x2a2a; p += u32(chunk, p + 4)) {
      records++;
      try {
        if (decoder.fields(p + 24, p + u32(chunk, p + 4) - 4) !== undefined) planned++;
      } catch {
        // a broken record: the reader reports it as a problem whichever way it reads
      }
    }
  }
  return { planned, records };
}

describe('records without the tree', () => {
  it('equal the records with it, minus xml, for a synthetic log', async () => {
    const bytes = synthetic();
    const full = readEvtxBytes(bytes);
    expect(readEvtxBytes(bytes, { xml: false })).toEqual(withoutXml(full));
    const streamed: unknown[] = [];
    for await (const item of readEvtx([bytes], { xml: false })) streamed.push(item);
    expect(streamed).toEqual(withoutXml(full));
  });

  it.skipIf(!existsSync(attackDir))('equal the records with it, minus xml, for every attack sample', () => {
    const files = walk(attackDir).filter((p) => p.endsWith('.evtx'));
    expect(files.length).toBeGreaterThan(100);
    let records = 0;
    for (const f of files) {
      const bytes = new Uint8Array(readFileSync(f));
      const full = readEvtxBytes(bytes, { file: f });
      records += full.filter((i) => i.kind === 'record').length;
      expect(readEvtxBytes(bytes, { file: f, xml: false }), f).toEqual(withoutXml(full));
    }
    expect(records).toBeGreaterThan(5000);
  });

  it.skipIf(!existsSync(attackDir))('reads most real records through a plan, not the tree', () => {
    let planned = 0;
    let records = 0;
    for (const f of walk(attackDir).filter((p) => p.endsWith('.evtx'))) {
      const share = plannedShare(new Uint8Array(readFileSync(f)));
      planned += share.planned;
      records += share.records;
    }
    console.log(`field plans read ${planned} of ${records} records`);
    expect(records).toBeGreaterThan(5000);
    expect(planned / records).toBeGreaterThan(0.8);
  });
});
