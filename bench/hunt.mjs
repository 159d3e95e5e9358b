// Benchmark `hunt`: twelve typical hunting queries over 10 million events (DeviceProcessEvents, DeviceNetworkEvents,
// DeviceFileEvents) in one DuckDB file with the Vigil schema, each run as KQL compiled by Vigil and as SQL written by
// hand for the same answer, on the same file in the same run. Compiling is not timed: only the SQL execution is.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { duckdbDialect, KqlCompiler, loadKusto } from '@vigil/hunting';
import { tables } from '@vigil/schema';
import { DuckdbTelemetryStore } from '@vigil/storage-duckdb';
import { formatBytes, formatInt } from './lib/format.mjs';
import { generateSql, NOW } from './lib/hunt-data.mjs';
import { queries } from './lib/hunt-queries.mjs';

export const description = 'hunting queries: KQL compiled by Vigil vs hand-written SQL on the same DuckDB file';

const SEED = 1;
const DEFAULT_EVENTS = 10_000_000;
/** Timed runs of each query and form (after one warm-up run); the median counts. */
const RUNS = 7;
/** The goal of the issue: the median of KQL time / hand SQL time at most this. */
const GOAL_RATIO = 1.2;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function createData(dir, events, log) {
  const file = join(dir, 'hunt.duckdb');
  // The store creates the tables exactly as a tenant has them; the rows are then generated inside DuckDB.
  const store = await DuckdbTelemetryStore.open({ file, journalDir: join(dir, 'journal'), tables });
  await store.close();
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  const started = performance.now();
  for (const sql of generateSql(events, SEED)) await conn.run(sql);
  await conn.run('CHECKPOINT');
  log(`generated ${formatInt(events)} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { file, instance, conn };
}

/** A result as comparable text: rows in a stable order, numbers and times normalized. */
function canonical(reader) {
  const rows = reader.getRowsJS().map((r) =>
    JSON.stringify(
      r.map((v) => {
        if (typeof v === 'bigint') return Number(v);
        if (v instanceof Date) return v.toISOString();
        return v;
      }),
    ),
  );
  return rows.sort();
}

/**
 * Times both forms of a query, alternating them run by run so that a change of load on the machine affects both
 * alike; the first run of each warms the caches and is not counted.
 */
async function timePair(conn, kql, hand) {
  const times = { kql: [], hand: [] };
  const readers = {};
  for (let i = 0; i <= RUNS; i++) {
    for (const [form, sql, params] of [
      ['kql', kql.sql, kql.params],
      ['hand', hand, []],
    ]) {
      const t0 = performance.now();
      readers[form] = await conn.runAndReadAll(sql, params);
      if (i > 0) times[form].push(performance.now() - t0);
    }
  }
  return { kql: median(times.kql), hand: median(times.hand), readers };
}

/** Runs the benchmark; returns its figures (DESIGN §7). */
export async function run(log) {
  const events = Number(process.env.VIGIL_BENCH_EVENTS ?? DEFAULT_EVENTS);
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-hunt-'));
  const figures = [];
  try {
    const { file, conn } = await createData(dir, events, log);
    log(`data: ${formatInt(events)} events, seed ${SEED}, file ${formatBytes(statSync(file).size)}`);
    const compiler = new KqlCompiler(await loadKusto(tables), tables, duckdbDialect);
    const ratios = [];
    for (const q of queries) {
      const compiled = compiler.compile(q.kql, { now: NOW });
      if ('stage' in compiled) throw new Error(`${q.name}: ${JSON.stringify(compiled.diagnostics)}`);
      const t = await timePair(conn, { sql: compiled.sql, params: [...compiled.params] }, q.sql);
      const kql = { ms: t.kql };
      const hand = { ms: t.hand };
      const [a, b] = [canonical(t.readers.kql), canonical(t.readers.hand)];
      if (a.length !== b.length) throw new Error(`${q.name}: ${a.length} rows from KQL, ${b.length} by hand`);
      if (q.rows && a.join('\n') !== b.join('\n')) throw new Error(`${q.name}: the rows differ from the hand SQL's`);
      const ratio = kql.ms / hand.ms;
      ratios.push(ratio);
      log(
        `${q.name.padEnd(22)} kql ${kql.ms.toFixed(1).padStart(8)} ms  hand ${hand.ms.toFixed(1).padStart(8)} ms  ` +
          `ratio ${ratio.toFixed(2)}  (${a.length} rows${q.rows ? ', same rows' : ''})`,
      );
      figures.push({
        metric: `${q.name}_ms`,
        value: round(kql.ms),
        unit: 'ms',
        baseline: round(hand.ms),
        ratio: round(ratio),
      });
    }
    const m = median(ratios);
    log(`median ratio (KQL / hand SQL): ${m.toFixed(2)} (goal <= ${GOAL_RATIO})`);
    figures.push({
      metric: 'median_ratio',
      value: round(m),
      unit: 'ratio',
      baseline: GOAL_RATIO,
      ratio: round(m / GOAL_RATIO),
    });
    conn.closeSync();
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(x) {
  return Math.round(x * 1000) / 1000;
}
