// Conformance over real logs in shared/corpora: the attack-samples manifest (computed with python-evtx) and the
// Sigma regression samples (each with the evtx_dump JSON rendering beside it).
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EvtxItem, EvtxPlain, EvtxRecord } from './evtx-types.js';
import { readEvtx, readEvtxBytes } from './read-evtx.js';

const corpora = process.env.VIGIL_CORPORA ?? fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const attackDir = join(corpora, 'evtx-attack-samples');
const sigmaDir = join(corpora, 'sigma', 'regression_data');
const skipped = (dir: string) => (existsSync(dir) ? '' : ` (skipped: ${dir} not found; set VIGIL_CORPORA)`);

interface ManifestLine {
  path: string;
  records: number;
  parse_errors: number;
  event_ids: Record<string, number>;
  channels: Record<string, number>;
}

function manifest(): ManifestLine[] {
  if (!existsSync(attackDir)) return [];
  const text = readFileSync(join(attackDir, 'manifest.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as ManifestLine);
}

function histogram(values: (string | number | null)[]): Record<string, number> {
  const h: Record<string, number> = {};
  for (const v of values) h[String(v)] = (h[String(v)] ?? 0) + 1;
  return h;
}

describe.skipIf(!existsSync(attackDir))(`evtx-attack-samples manifest conformance${skipped(attackDir)}`, () => {
  const lines = manifest();

  it('lists files', () => {
    expect(lines.length).toBeGreaterThan(100);
  });

  it.each(lines.map((l) => [l.path, l] as const))('%s', async (_path, m) => {
    // Streamed from disk in the stream's own 64 KiB pieces, which do not line up with the 4096-byte header.
    const items: EvtxItem[] = [];
    for await (const item of readEvtx(createReadStream(join(attackDir, m.path)), { file: m.path })) items.push(item);
    const records = items.filter((i): i is EvtxRecord => i.kind === 'record');
    const problems = items.filter((i) => i.kind === 'problem');
    expect(records).toHaveLength(m.records);
    expect(histogram(records.map((r) => r.system.eventId))).toEqual(m.event_ids);
    expect(histogram(records.map((r) => r.system.channel))).toEqual(m.channels);
    if (m.parse_errors === 0) expect(problems).toEqual([]);
  });
});

describe.skipIf(!existsSync(attackDir))(`re-cutting a real log into pieces${skipped(attackDir)}`, () => {
  const name = 'AutomatedTestingTools/Malware/DE_timestomp_and_dll_sideloading_and_RunPersist.evtx';

  it.each([1, 7, 100_000])('gives the same records and problems for %i-byte pieces', async (size) => {
    const bytes = existsSync(attackDir) ? new Uint8Array(readFileSync(join(attackDir, name))) : new Uint8Array(0);
    const pieces = function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.slice(i, i + size);
    };
    const items: EvtxItem[] = [];
    for await (const item of readEvtx(pieces(), { file: name })) items.push(item);
    expect(items).toEqual(readEvtxBytes(bytes, { file: name }));
    expect(items.length).toBe(23);
  });
});

/** The objects of a file holding several pretty-printed JSON objects back to back. */
function jsonObjects(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' && depth++ === 0) start = i;
    else if (c === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/**
 * evtx_dump prints GUIDs without braces, numbers as JSON numbers and values with trailing whitespace trimmed; the
 * reader keeps Windows' rendering (`{GUID}`, the raw text), so both sides are brought to that common form.
 */
function norm(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, norm(x)]));
  }
  const s = String(v).trimEnd();
  return /^\{[0-9A-F-]{36}\}$/.test(s) ? s.slice(1, -1) : s;
}

interface DumpEvent {
  System: Record<string, unknown> & { EventRecordID: number };
  EventData?: Record<string, unknown> | null;
  UserData?: Record<string, EvtxPlain>;
}

function expectSameEvent(r: EvtxRecord, e: DumpEvent): void {
  const S = e.System as Record<string, Record<string, Record<string, unknown>> & Record<string, unknown>>;
  const attr = (el: string, name: string) => S[el]?.['#attributes']?.[name];
  const eventId = S.EventID !== null && typeof S.EventID === 'object' ? S.EventID['#text'] : S.EventID;
  const s = r.system;
  expect(norm({ ...s })).toEqual(
    norm({
      ...s,
      provider: attr('Provider', 'Name'),
      providerGuid: attr('Provider', 'Guid'),
      eventId,
      version: S.Version,
      level: S.Level,
      task: S.Task,
      opcode: S.Opcode,
      keywords: S.Keywords,
      timeCreated: attr('TimeCreated', 'SystemTime'),
      eventRecordId: S.EventRecordID,
      activityId: attr('Correlation', 'ActivityID'),
      processId: attr('Execution', 'ProcessID'),
      threadId: attr('Execution', 'ThreadID'),
      channel: S.Channel,
      computer: S.Computer,
      userId: attr('Security', 'UserID'),
    }),
  );
  const { '#attributes': _, ...data } = e.EventData ?? {};
  if (e.EventData !== undefined) expect(norm(r.eventData ?? {})).toEqual(norm(data));
  if (e.UserData !== undefined) expect(norm(r.userData)).toEqual(norm(e.UserData));
}

describe.skipIf(!existsSync(sigmaDir))(`Sigma regression samples against evtx_dump JSON${skipped(sigmaDir)}`, () => {
  const samples = existsSync(sigmaDir) ? walk(sigmaDir).filter((p) => p.endsWith('.evtx')) : [];

  it('lists samples', () => {
    expect(samples.length).toBeGreaterThan(100);
  });

  it.each(samples.map((p) => [p.slice(sigmaDir.length + 1), p]))('%s', (_name, path) => {
    const base = path.slice(0, -'.evtx'.length);
    const json = existsSync(`${base}.json`) ? `${base}.json` : `${base}.jsoncls`;
    const expected = jsonObjects(readFileSync(json, 'utf8')).map((o) => (o as { Event: DumpEvent }).Event);
    const items = readEvtxBytes(readFileSync(path));
    expect(items.filter((i) => i.kind === 'problem')).toEqual([]);
    const records = items.filter((i): i is EvtxRecord => i.kind === 'record');
    expect(records).toHaveLength(expected.length);
    for (const e of expected) {
      const r = records.find((x) => x.system.eventRecordId === e.System.EventRecordID);
      expect(r, `record ${e.System.EventRecordID}`).toBeDefined();
      if (r !== undefined) expectSameEvent(r, e);
    }
  });
});
