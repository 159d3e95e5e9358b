// Benchmark `evtx`: how fast @vigil/evtx reads binary EVTX into records (System fields, EventData/UserData and the
// full XML tree), against JSON.parse of the very same records rendered as JSON lines, measured in the same run on
// the same events. Goal: ratio >= 1, binary EVTX read at least as fast as its JSON is parsed.
// Data: every .evtx of shared/corpora/evtx-attack-samples (VIGIL_CORPORA overrides the corpora folder); when that
// folder is absent, a seeded synthetic log built with buildSyntheticEvtx.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The workspace link (@vigil/evtx) exists once the root `npm install` has run; dist works before that too.
import { buildSyntheticEvtx, readEvtx } from '@vigil/evtx';
import { fromEvtxRecord, normalizeWindowsEvent } from '@vigil/windows';
import { formatBytes, formatInt, MB } from './lib/format.mjs';
import { Random } from './lib/rng.mjs';

export const description = 'EVTX read (MB/s, records/s) vs JSON.parse of the same events as JSON lines';

const SEED = 7;
const SYNTHETIC_EVENTS = 20_000;
const WARMUP_ROUNDS = 3;
/** Rounds timed; medians of 15 instead of 7 keep one disturbed round (the machine is shared) from moving them. */
const ROUNDS = 15;
const CHUNK = 65536;

function walk(dir) {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Sysmon-like events with seeded values: process creation, network, file create. */
function syntheticLog() {
  const r = new Random(SEED);
  const events = [];
  for (let i = 0; i < SYNTHETIC_EVENTS; i++) {
    const image = `C:\\Windows\\System32\\${r.word(8)}.exe`;
    events.push({
      provider: 'Microsoft-Windows-Sysmon',
      providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
      eventId: r.pick([1, 3, 11]),
      timeCreated: `2024-05-0${r.int(1, 9)}T1${r.int(0, 9)}:${r.int(10, 59)}:${r.int(10, 59)}.${r.int(100000, 999999)}Z`,
      processId: r.int(4, 9000),
      threadId: r.int(4, 9000),
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer: `host-${r.int(1, 50)}.example.org`,
      userId: 'S-1-5-18',
      eventData: {
        RuleName: '-',
        UtcTime: '2024-05-01 10:00:00.000',
        ProcessGuid: `{${r.guid().toUpperCase()}}`,
        ProcessId: r.int(4, 9000),
        Image: image,
        CommandLine: `${image} ${r.word(r.int(5, 80))}`,
        CurrentDirectory: 'C:\\Windows\\system32\\',
        User: 'NT AUTHORITY\\SYSTEM',
        Hashes: `SHA256=${r.hex(64).toUpperCase()}`,
        ParentImage: 'C:\\Windows\\explorer.exe',
      },
    });
  }
  return { name: `synthetic (${SYNTHETIC_EVENTS} seeded Sysmon events)`, files: [buildSyntheticEvtx(events)] };
}

function loadData() {
  const corpora = process.env.VIGIL_CORPORA ?? fileURLToPath(new URL('../../shared/corpora', import.meta.url));
  const dir = join(corpora, 'evtx-attack-samples');
  if (!existsSync(dir)) return syntheticLog();
  const files = walk(dir)
    .filter((p) => p.endsWith('.evtx'))
    .sort()
    .map((p) => new Uint8Array(readFileSync(p)));
  return { name: `evtx-attack-samples (${files.length} files)`, files };
}

function isEmptyChunk(b, at) {
  for (let i = at; i < at + 8; i++) if (b[i] !== 0) return false;
  return true;
}

async function readAll(files) {
  let records = 0;
  for (const f of files) {
    for await (const item of readEvtx([f])) if (item.kind === 'record') records++;
  }
  return records;
}

async function readAndNormalize(files) {
  let rows = 0;
  for (const f of files) {
    // As the importer reads: the fields without the XML tree, which normalization does not use.
    for await (const item of readEvtx([f], { xml: false })) {
      if (item.kind !== 'record') continue;
      const e = fromEvtxRecord(item);
      if (e.ok && normalizeWindowsEvent(e.value).row) rows++;
    }
  }
  return rows;
}

function parseAll(lines) {
  let records = 0;
  for (const line of lines) if (JSON.parse(line).kind === 'record') records++;
  return records;
}

/** Wall time and CPU time (this process: JavaScript and the GC's helper threads) of one call. */
async function timed(fn) {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const n = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, n };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Runs the benchmark; prints human-readable lines with `log` and returns the figures. Called without `log` (run
 * directly), it prints to stdout and ends with the JSON lines itself.
 */
export async function run(log) {
  const standalone = log === undefined;
  const out = log ?? ((line) => process.stdout.write(`${line}\n`));
  const data = loadData();
  const evtxBytes = data.files.reduce((s, f) => s + f.length, 0);
  let emptyChunks = 0;
  let chunks = 0;
  for (const f of data.files) {
    for (let at = 4096; at + CHUNK <= f.length; at += CHUNK, chunks++) if (isEmptyChunk(f, at)) emptyChunks++;
  }
  // The baseline's input, rendered once and not timed: every record as one JSON line. Streamed, so that records are
  // not all alive at once: that would teach V8 to allocate the reader's objects straight in the old generation.
  const lines = [];
  for (const f of data.files) {
    for await (const item of readEvtx([f])) if (item.kind === 'record') lines.push(JSON.stringify(item));
  }
  const jsonBytes = lines.reduce((s, l) => s + Buffer.byteLength(l), 0);
  out(
    `data: ${data.name}, ${formatBytes(evtxBytes)} of EVTX (${emptyChunks} of ${chunks} chunks unused), ${formatInt(lines.length)} records`,
  );
  out(`baseline input: the same records as ${formatInt(lines.length)} JSON lines, ${formatBytes(jsonBytes)}`);

  for (let i = 0; i < WARMUP_ROUNDS; i++) {
    await readAll(data.files);
    parseAll(lines);
  }
  const ours = [];
  const base = [];
  const norm = [];
  const baseCpu = [];
  const normCpu = [];
  for (let i = 0; i < ROUNDS; i++) {
    const a = await timed(() => readAll(data.files));
    const b = await timed(() => parseAll(lines));
    const c = await timed(() => readAndNormalize(data.files));
    if (a.n !== lines.length || b.n !== lines.length || c.n !== lines.length)
      throw new Error(`record counts differ: ${a.n}, ${b.n}, ${c.n}, ${lines.length}`);
    ours.push(a.ms);
    base.push(b.ms);
    norm.push(c.ms);
    baseCpu.push(b.cpuMs);
    normCpu.push(c.cpuMs);
  }
  const oursS = median(ours) / 1000;
  const baseS = median(base) / 1000;
  const mbOurs = evtxBytes / MB / oursS;
  const mbBase = jsonBytes / MB / baseS;
  const recOurs = lines.length / oursS;
  const recBase = lines.length / baseS;
  out(
    `evtx read:  ${(oursS * 1000).toFixed(1)} ms (median of ${ROUNDS}), ${mbOurs.toFixed(1)} MB/s, ${formatInt(recOurs)} records/s`,
  );
  out(
    `JSON.parse: ${(baseS * 1000).toFixed(1)} ms (median of ${ROUNDS}), ${mbBase.toFixed(1)} MB/s, ${formatInt(recBase)} records/s`,
  );
  const usedMb = (evtxBytes - emptyChunks * CHUNK) / MB;
  out(`evtx read over the bytes of used chunks only: ${(usedMb / oursS).toFixed(1)} MB/s (${usedMb.toFixed(1)} MB)`);
  out(
    `ratio (ours / JSON.parse): ${(recOurs / recBase).toFixed(2)} by records, ${(mbOurs / mbBase).toFixed(2)} by MB/s (each side's own bytes)`,
  );
  const normS = median(norm) / 1000;
  out(
    `evtx read + normalize into hunting rows: ${(normS * 1000).toFixed(1)} ms, ${(evtxBytes / MB / normS).toFixed(1)} MB/s, ${formatInt(lines.length / normS)} records/s, ratio ${(lines.length / normS / recBase).toFixed(2)} by records`,
  );
  // CPU time is steadier than wall time when other work shares the machine: time spent waiting for a core is not in it.
  const cpuRatio = median(baseCpu) / median(normCpu);
  out(
    `read + normalize by CPU time: ${median(normCpu).toFixed(1)} ms against JSON.parse ${median(baseCpu).toFixed(1)} ms (medians), ratio ${cpuRatio.toFixed(2)}`,
  );
  const figures = [
    {
      metric: 'read_mb_per_s',
      value: round(mbOurs, 1),
      unit: 'MB/s',
      baseline: round(mbBase, 1),
      ratio: round(mbOurs / mbBase),
    },
    {
      metric: 'records_per_s',
      value: Math.round(recOurs),
      unit: 'records/s',
      baseline: Math.round(recBase),
      ratio: round(recOurs / recBase),
    },
    {
      metric: 'read_normalize_records_per_s',
      value: Math.round(lines.length / normS),
      unit: 'records/s',
      baseline: Math.round(recBase),
      ratio: round(lines.length / normS / recBase),
    },
    {
      metric: 'read_normalize_records_per_cpu_s',
      value: Math.round(lines.length / (median(normCpu) / 1000)),
      unit: 'records/CPU-s',
      baseline: Math.round(lines.length / (median(baseCpu) / 1000)),
      ratio: round(cpuRatio),
    },
    {
      metric: 'read_normalize_mb_per_s',
      value: round(evtxBytes / MB / normS, 1),
      unit: 'MB/s',
      baseline: round(mbBase, 1),
      ratio: round(evtxBytes / MB / normS / mbBase),
    },
  ];
  if (standalone) {
    for (const f of figures) process.stdout.write(`${JSON.stringify({ bench: 'evtx', ...f })}\n`);
  }
  return figures;
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await run();
