// Benchmark `ingest`: rows per second through the HTTP ingest path (agent batches -> Fastify -> decode and validate
// -> queue -> journal -> DuckDB bulk loads), timed until the last row is in DuckDB, against DuckDB's own read_json of
// the same rows from one file, measured in the same run.
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { deviceProcessEvents, tables } from '@vigil/schema';
import { startServer } from '@vigil/server';
import { DuckdbTelemetryStore, duckdbTypes, quoteIdent } from '@vigil/storage-duckdb';
import { flushToDisk } from './lib/files.mjs';
import { formatBytes, formatInt, MB, readRows } from './lib/format.mjs';
import { agentLine, fileLine, ProcessEventGenerator } from './lib/process-events.mjs';
import { threadCpu, threadCpuSince } from './lib/threads.mjs';

export const description = 'rows/s of DeviceProcessEvents through HTTP ingest into DuckDB, vs DuckDB read_json';

const SEED = 1;
const DEVICES = 200;
const DEFAULT_ROWS = 2_000_000;
/** Rows per request, as an agent batches them. */
const BATCH_ROWS = 10_000;
/** Requests in flight at once. */
const CONCURRENCY = 4;
/** Agents compress with the fastest level: the CPU is the endpoint's, and the ratio is still about 5:1. */
const GZIP_LEVEL = 1;
/** The goal of the issue: ours at least a quarter of DuckDB's own bulk load. */
const GOAL_RATIO = 0.25;
const TABLE = deviceProcessEvents.name;

const gzipAsync = promisify(gzip);
const quoteString = (s) => `'${s.replaceAll("'", "''")}'`;

/**
 * Generates the rows once: gzip bodies of agent batches (kept in memory; compression is the agent's work, so it is
 * not timed) and the same rows with their device columns as one NDJSON file for the baseline (streamed to disk).
 */
async function prepare(rows, file) {
  const gen = new ProcessEventGenerator({ seed: SEED, rows, devices: DEVICES });
  const out = createWriteStream(file);
  const bodies = [];
  const batchRows = [];
  const compressing = new Set();
  let ndjsonBytes = 0;
  for (let start = 0; start < rows; start += BATCH_ROWS) {
    const n = Math.min(BATCH_ROWS, rows - start);
    const sent = new Array(n);
    const full = new Array(n);
    for (let i = 0; i < n; i++) {
      const row = gen.next();
      sent[i] = agentLine(row);
      full[i] = fileLine(row);
    }
    const raw = Buffer.from(`${sent.join('\n')}\n`);
    ndjsonBytes += raw.length;
    const index = bodies.length;
    bodies.push(undefined);
    batchRows.push(n);
    // Compression runs on the thread pool while the next batch is generated.
    const job = gzipAsync(raw, { level: GZIP_LEVEL }).then((body) => {
      bodies[index] = body;
    });
    compressing.add(job);
    job.then(
      () => compressing.delete(job),
      () => undefined,
    );
    if (compressing.size >= 4) await Promise.race(compressing);
    if (!out.write(`${full.join('\n')}\n`)) await once(out, 'drain');
  }
  await Promise.all(compressing);
  out.end();
  await finished(out);
  flushToDisk(file);
  const gzipBytes = bodies.reduce((s, b) => s + b.length, 0);
  return { bodies, batchRows, ndjsonBytes, gzipBytes, populated: gen.populated / rows };
}

/** Posts every batch with CONCURRENCY requests in flight; resolves once the last one is acknowledged (durable). */
async function sendAll(url, deviceSecret, bodies, batchRows) {
  let next = 0;
  let retries = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++;
      for (;;) {
        const res = await fetch(`${url}/api/agent/ingest`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${deviceSecret}`,
            'content-type': 'application/x-ndjson',
            'content-encoding': 'gzip',
            'x-batch-id': `bench-${i}`,
          },
          body: bodies[i],
        });
        if (res.status === 429 || res.status === 503) {
          await res.arrayBuffer();
          retries++;
          await sleep(Number(res.headers.get('retry-after') ?? '1') * 1000);
          continue;
        }
        const text = await res.text();
        if (res.status !== 200) throw new Error(`batch ${i}: HTTP ${res.status}: ${text}`);
        const reply = JSON.parse(text);
        if (reply.status !== 'stored' || reply.rows !== batchRows[i]) {
          throw new Error(`batch ${i}: expected ${batchRows[i]} rows stored, got ${text}`);
        }
        break;
      }
      bodies[i] = undefined;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { retries };
}

/** Ours: a real server in this process, one enrolled device, batches over HTTP. */
async function runOurs(dir, prepared, rows) {
  const data = join(dir, 'server');
  const server = await startServer({ data, port: 0, print: () => undefined });
  try {
    const tenant = await server.data.tenant('default');
    const { token } = await tenant.service.createEnrollToken({});
    const enroll = await fetch(`${server.url}/api/agent/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, hostname: 'bench' }),
    });
    if (enroll.status !== 201) throw new Error(`enroll failed: HTTP ${enroll.status}: ${await enroll.text()}`);
    const { deviceSecret } = await enroll.json();
    // Timed until every row is in DuckDB: acknowledged batches are durable in the ingest journal, and the count
    // (like any read) waits for the journal's last bulk load.
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const threads0 = threadCpu();
    const sent = await sendAll(server.url, deviceSecret, prepared.bodies, prepared.batchRows);
    const acked = (performance.now() - t0) / 1000;
    const stored = readRows(await tenant.telemetry.query(`SELECT count(*) FROM ${quoteIdent(TABLE)}`));
    const seconds = (performance.now() - t0) / 1000;
    const cpuSeconds = cpuSecondsSince(cpu0);
    const threads = threadCpuSince(threads0);
    if (stored !== rows) throw new Error(`HTTP ingest stored ${stored} rows of ${TABLE}, expected ${rows}`);
    return { ...sent, seconds, acked, cpuSeconds, threads, sizeBytes: tenant.telemetry.sizeBytes() };
  } finally {
    await server.stop();
    flushToDisk(data);
  }
}

/** Baseline: DuckDB's read_json of the same rows into the same table definition, in a fresh database file. */
async function runBaseline(dir, file, rows) {
  const db = join(dir, 'baseline.duckdb');
  const store = await DuckdbTelemetryStore.open({ file: db, journalDir: join(dir, 'baseline-journal'), tables });
  await store.close();
  const columns = deviceProcessEvents.columns
    .map((c) => `${quoteString(c.name)}: ${quoteString(duckdbTypes[c.type])}`)
    .join(', ');
  const instance = await DuckDBInstance.create(db);
  try {
    const conn = await instance.connect();
    try {
      // The same settings as the tenant store's (DuckdbTelemetryStore.open): row order is not kept.
      await conn.run('SET preserve_insertion_order = false');
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await conn.run(
        `INSERT INTO ${quoteIdent(TABLE)} SELECT * FROM read_json(${quoteString(file)}, format = 'newline_delimited', columns = {${columns}})`,
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpuSeconds = cpuSecondsSince(cpu0);
      const r = await conn.runAndReadAll(`SELECT count(*) FROM ${quoteIdent(TABLE)}`);
      const stored = Number(r.getRowsJson()[0]?.[0]);
      if (stored !== rows) throw new Error(`read_json stored ${stored} rows of ${TABLE}, expected ${rows}`);
      return { seconds, cpuSeconds };
    } finally {
      conn.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/** CPU time of this process (every thread: JavaScript, libuv and DuckDB) since `start`, in seconds. */
function cpuSecondsSince(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

/** How the CPU time compares with the wall time; other load on the machine shows up as fewer cores than expected. */
function cpuText(cpuSeconds, seconds, rows) {
  return `CPU ${cpuSeconds.toFixed(1)} s = ${(cpuSeconds / seconds).toFixed(2)} cores, ${((cpuSeconds * 1e6) / rows).toFixed(1)} CPU-us/row`;
}

function benchRows() {
  const text = process.env.VIGIL_BENCH_ROWS;
  if (text === undefined || text === '') return DEFAULT_ROWS;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 1)
    throw new Error(`VIGIL_BENCH_ROWS must be a positive whole number, got "${text}"`);
  return n;
}

/** Runs the benchmark; prints human-readable lines with `log` and returns the figures. */
export async function run(log) {
  const rows = benchRows();
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-ingest-'));
  try {
    const file = join(dir, 'baseline.ndjson');
    log(
      `data: ${formatInt(rows)} ${TABLE} rows (seed ${SEED}, ${DEVICES} devices, 7 days), sent as ` +
        `${Math.ceil(rows / BATCH_ROWS)} gzip batches of ${formatInt(BATCH_ROWS)} rows, ${CONCURRENCY} requests in flight`,
    );
    const t0 = performance.now();
    const prepared = await prepare(rows, file);
    const fileBytes = statSync(file).size;
    log(
      `generated in ${((performance.now() - t0) / 1000).toFixed(1)} s (not timed): ` +
        `${prepared.populated.toFixed(1)} populated columns per row; agent NDJSON ${formatBytes(prepared.ndjsonBytes)} ` +
        `(gzip level ${GZIP_LEVEL}: ${formatBytes(prepared.gzipBytes)}); baseline file ${formatBytes(fileBytes)}; ` +
        `RSS ${formatBytes(process.memoryUsage().rss)}`,
    );

    const ours = await runOurs(dir, prepared, rows);
    const oursRate = rows / ours.seconds;
    const oursMbps = prepared.ndjsonBytes / MB / ours.seconds;
    log(
      `http ingest:      ${formatInt(rows)} rows in ${ours.seconds.toFixed(2)} s = ${formatInt(oursRate)} rows/s, ` +
        `${oursMbps.toFixed(1)} MB/s of NDJSON (${formatBytes(prepared.ndjsonBytes)}, ${formatBytes(prepared.gzipBytes)} gzip)`,
    );
    log(
      `                  last batch acknowledged at ${ours.acked.toFixed(2)} s, in DuckDB at ${ours.seconds.toFixed(2)} s; ` +
        `${cpuText(ours.cpuSeconds, ours.seconds, rows)}; ${ours.retries} retries after 429; database ${formatBytes(ours.sizeBytes)}`,
    );
    if (ours.threads) log(`                  CPU s by thread: ${ours.threads}`);

    const base = await runBaseline(dir, file, rows);
    const baseRate = rows / base.seconds;
    const baseMbps = fileBytes / MB / base.seconds;
    log(
      `duckdb read_json: ${formatInt(rows)} rows in ${base.seconds.toFixed(2)} s = ${formatInt(baseRate)} rows/s, ` +
        `${baseMbps.toFixed(1)} MB/s of NDJSON (${formatBytes(fileBytes)})`,
    );
    log(`                  ${cpuText(base.cpuSeconds, base.seconds, rows)}`);
    const ratio = oursRate / baseRate;
    log(
      `ratio (ours / baseline, rows/s): ${ratio.toFixed(3)} (goal >= ${GOAL_RATIO}: ` +
        `${ratio >= GOAL_RATIO ? 'met' : 'NOT met'}); peak RSS ${formatBytes(process.resourceUsage().maxRSS * 1024)}`,
    );
    return [
      {
        metric: 'http_ingest_rows_per_s',
        value: Math.round(oursRate),
        unit: 'rows/s',
        baseline: Math.round(baseRate),
        ratio: round(ratio, 3),
      },
      {
        metric: 'http_ingest_mb_per_s',
        value: round(oursMbps, 1),
        unit: 'MB/s',
        baseline: round(baseMbps, 1),
        ratio: round(oursMbps / baseMbps, 3),
      },
      {
        // Rows per CPU-second of the whole process: steadier than wall time when other work shares the machine.
        metric: 'http_ingest_rows_per_cpu_s',
        value: Math.round(rows / ours.cpuSeconds),
        unit: 'rows/CPU-s',
        baseline: Math.round(rows / base.cpuSeconds),
        ratio: round(base.cpuSeconds / ours.cpuSeconds, 3),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(x, digits) {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
