// Seeded mutation fuzzing: bit flips, overwritten, zeroed and duplicated regions, truncation. Whatever the damage,
// the reader must finish without throwing, place every problem inside the file, and still yield the records of the
// chunks the mutation did not touch.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EvtxFieldsItem, EvtxItem, EvtxRecord } from './evtx-types.js';
import { CHUNK_SIZE, HEADER_SIZE } from './read-chunk.js';
import { readEvtx, readEvtxBytes } from './read-evtx.js';
import { buildSyntheticEvtx, encode } from './synthetic-evtx.js';

const corpora = process.env.VIGIL_CORPORA ?? fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const attackDir = join(corpora, 'evtx-attack-samples');
/** Sysmon, Security with UserData, string arrays (Application), binary data; one with several chunks. */
const corpusFiles = [
  'AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx',
  'Credential Access/remote_pwd_reset_rpc_mimikatz_postzerologon_target_DC.evtx',
  'Credential Access/dc_applog_ntdsutil_dfir_325_326_327.evtx',
  'Privilege Escalation/privesc_unquoted_svc_sysmon_1_11.evtx',
];
const MUTANTS = 400;
/** Stop early rather than exceed this, on slow machines. */
const BUDGET_MS = 15_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function synthetic(): Uint8Array {
  const events = Array.from({ length: 250 }, (_, i) => ({
    provider: 'Microsoft-Windows-Security-Auditing',
    eventId: 4624 + (i % 3),
    timeCreated: '2024-05-06T07:08:09.000001Z',
    channel: 'Security',
    computer: 'dc01.example.org',
    userId: 'S-1-5-21-1-2-3-500',
    eventData:
      i % 3 === 0
        ? { TargetUserName: `user${i}`, LogonType: 3, TargetLogonId: encode.hex64(BigInt(i)) }
        : {
            SubjectUserSid: encode.sid('S-1-5-18'),
            Names: { type: 0x81, bytes: new Uint8Array([0x61, 0, 0, 0, 0x62, 0, 0, 0]) },
          },
  }));
  return buildSyntheticEvtx(events);
}

interface Base {
  name: string;
  bytes: Uint8Array;
  /** Records of the unmutated file, by chunk index. */
  byChunk: Map<number, EvtxRecord[]>;
}

function byChunk(items: EvtxItem[]): Map<number, EvtxRecord[]> {
  const m = new Map<number, EvtxRecord[]>();
  for (const i of items) {
    if (i.kind !== 'record') continue;
    const list = m.get(i.chunkIndex) ?? [];
    list.push(i);
    m.set(i.chunkIndex, list);
  }
  return m;
}

function bases(): Base[] {
  const files: [string, Uint8Array][] = [['synthetic', synthetic()]];
  if (existsSync(attackDir)) {
    for (const f of corpusFiles) files.push([f, new Uint8Array(readFileSync(join(attackDir, f)))]);
  }
  return files.map(([name, bytes]) => ({ name, bytes, byChunk: byChunk(readEvtxBytes(bytes)) }));
}

/** Applies one random mutation; returns the mutant and the byte range [from, to) it changed. */
function mutate(src: Uint8Array, rnd: () => number): { bytes: Uint8Array; from: number; to: number } {
  const b = src.slice();
  const int = (n: number) => Math.floor(rnd() * n);
  // Aim at the interesting part most of the time: headers and the start of chunks, where templates sit.
  const at =
    rnd() < 0.5
      ? int(b.length)
      : HEADER_SIZE * int(2) + CHUNK_SIZE * int(Math.max(1, (b.length - HEADER_SIZE) / CHUNK_SIZE)) + int(2048);
  const from = Math.min(at, b.length - 1);
  const len = 1 + int(rnd() < 0.7 ? 8 : 600);
  const to = Math.min(b.length, from + len);
  switch (int(5)) {
    case 0:
      for (let i = 0; i < len; i++) {
        const p = from + int(to - from);
        b[p] = (b[p] as number) ^ (1 << int(8));
      }
      return { bytes: b, from, to };
    case 1:
      for (let i = from; i < to; i++) b[i] = int(256);
      return { bytes: b, from, to };
    case 2:
      b.fill(0, from, to);
      return { bytes: b, from, to };
    case 3: {
      const src2 = int(b.length - (to - from));
      b.copyWithin(from, src2, src2 + (to - from));
      return { bytes: b, from, to };
    }
    default: {
      const cut = int(b.length);
      return { bytes: b.slice(0, cut), from: cut, to: b.length };
    }
  }
}

/** Chunks wholly outside [from, to) and wholly present in the mutant. */
function untouchedChunks(base: Base, from: number, to: number, length: number): number[] {
  return [...base.byChunk.keys()].filter((i) => {
    const start = HEADER_SIZE + i * CHUNK_SIZE;
    const end = start + CHUNK_SIZE;
    return end <= length && (end <= from || start >= to);
  });
}

function withoutXml(items: readonly EvtxItem[]): EvtxFieldsItem[] {
  return items.map((i) => {
    if (i.kind !== 'record') return i;
    const { xml: _, ...rest } = i;
    return rest;
  });
}

async function readStreamed(bytes: Uint8Array, piece: number): Promise<EvtxItem[]> {
  const pieces = function* () {
    for (let i = 0; i < bytes.length; i += piece) yield bytes.subarray(i, i + piece);
  };
  const out: EvtxItem[] = [];
  for await (const item of readEvtx(pieces())) out.push(item);
  return out;
}

describe('fuzzing with seeded mutations', () => {
  it(`survives ${MUTANTS} mutants and keeps the records of untouched chunks`, async () => {
    const all = bases();
    const rnd = mulberry32(20240607);
    const started = Date.now();
    let done = 0;
    let problemsSeen = 0;
    for (; done < MUTANTS && Date.now() - started < BUDGET_MS; done++) {
      const base = all[done % all.length] as Base;
      const { bytes, from, to } = mutate(base.bytes, rnd);
      const streamed = done % 4 === 0;
      const items = streamed ? await readStreamed(bytes, 512 + Math.floor(rnd() * 70_000)) : readEvtxBytes(bytes);
      // Without the tree, the reader yields the same records (but `xml`) and the same problems, damage or not.
      if (!streamed)
        expect(readEvtxBytes(bytes, { xml: false }), `${base.name} mutant ${done}`).toEqual(withoutXml(items));
      for (const p of items) {
        if (p.kind !== 'problem') continue;
        problemsSeen++;
        expect(typeof p.offset, `${base.name} mutant ${done}`).toBe('number');
        expect(p.offset).toBeGreaterThanOrEqual(0);
        expect(p.offset).toBeLessThanOrEqual(bytes.length);
      }
      const got = byChunk(items);
      for (const chunk of untouchedChunks(base, from, to, bytes.length)) {
        expect(got.get(chunk), `${base.name} mutant ${done} [${from}, ${to}) chunk ${chunk}`).toEqual(
          base.byChunk.get(chunk),
        );
      }
    }
    console.log(`fuzz: ${done} mutants in ${Date.now() - started} ms, ${problemsSeen} problems reported`);
    expect(done).toBeGreaterThanOrEqual(Math.min(MUTANTS, 100));
    expect(problemsSeen).toBeGreaterThan(0);
  });
});
