import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { tables } from '@vigil/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { KqlCompiler } from './compile-kql.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { loadKusto } from './kusto-bridge.js';

/**
 * Golden tests of Defender's helper functions (FileProfile, DeviceFromIP, AssignedIPAddresses). They need hashes,
 * certificates and adapter reports, so they run over their own fixture (golden/helpers/fixture.ndjson) in an
 * in-memory DuckDB whose tables follow the schema, as the tenant store lays them out.
 */
const DIR = fileURLToPath(new URL('../golden/helpers/', import.meta.url));
const NOW = new Date('2026-11-29T00:00:00Z');
const TYPES: Readonly<Record<string, string>> = {
  string: 'VARCHAR',
  guid: 'VARCHAR',
  long: 'BIGINT',
  int: 'INTEGER',
  real: 'DOUBLE',
  decimal: 'DOUBLE',
  bool: 'BOOLEAN',
  datetime: 'TIMESTAMP',
  timespan: 'BIGINT',
  dynamic: 'JSON',
};
const names = readdirSync(DIR)
  .filter((f) => f.endsWith('.kql'))
  .map((f) => f.slice(0, -4))
  .sort();

async function load(conn: DuckDBConnection): Promise<void> {
  for (const t of tables) {
    const cols = t.columns.map((c) => `"${c.name}" ${TYPES[c.type] ?? 'VARCHAR'}`);
    await conn.run(`CREATE TABLE "${t.name}" (${cols.join(', ')})`);
  }
  const rows = readFileSync(join(DIR, 'fixture.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  for (const row of rows) {
    const spec = tables.find((t) => t.name === row.Table);
    if (!spec) throw new Error(`no table ${String(row.Table)}`);
    // KQL strings are never null: a missing string is stored as the empty string, as the tenant store does.
    const values = spec.columns.map((c) => row[c.name] ?? (c.type === 'string' ? '' : null));
    const marks = spec.columns.map((c, i) => (c.type === 'datetime' ? `CAST($${i + 1} AS TIMESTAMP)` : `$${i + 1}`));
    await conn.run(`INSERT INTO "${spec.name}" VALUES (${marks.join(', ')})`, values as DuckDBValue[]);
  }
}

/** Rows as the hunting API returns them: ISO timestamps without trailing zeros, numbers, parsed JSON. */
function plain(value: unknown, type: string): unknown {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString().replace(/\.?0*Z$/, 'Z');
  if (type === 'datetime') {
    const [date, time = '00:00:00'] = String(value).split(' ');
    const [hms, frac = ''] = time.split('.');
    const f = frac.replace(/0+$/, '');
    return `${date}T${hms}${f ? `.${f}` : ''}Z`;
  }
  if (typeof value === 'bigint') return Number(value);
  if (type === 'dynamic' && typeof value === 'string') return JSON.parse(value);
  return value;
}

describe('hunting golden tests of the Defender helper functions', () => {
  let compiler: KqlCompiler;
  let conn: DuckDBConnection;

  beforeAll(async () => {
    compiler = new KqlCompiler(await loadKusto(tables), tables, duckdbDialect);
    conn = await (await DuckDBInstance.create(':memory:')).connect();
    await load(conn);
  });

  it.each(names)('%s', async (name) => {
    const compiled = compiler.compile(readFileSync(join(DIR, `${name}.kql`), 'utf8'), { now: NOW });
    if ('stage' in compiled) throw new Error(JSON.stringify(compiled.diagnostics));
    const sqlFile = join(DIR, `${name}.duckdb.sql`);
    const sql = `${compiled.sql}\n-- params: ${JSON.stringify(compiled.params)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(sqlFile)) writeFileSync(sqlFile, sql);
    expect(sql).toBe(readFileSync(sqlFile, 'utf8'));
    const reader = await conn.runAndReadAll(compiled.sql, compiled.params as DuckDBValue[]);
    const rows = reader
      .getRowsJS()
      .map((r) => Object.fromEntries(compiled.columns.map((c, i) => [c.name, plain(r[i], c.type)])));
    const expected = JSON.parse(readFileSync(join(DIR, `${name}.rows.json`), 'utf8')) as unknown[];
    expect(rows).toEqual(expected);
  });
});
