import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDir } from './data-dir.js';
import { isCompileFailure, kqlCompiler, runHunt } from './hunt.js';
import { importNdjsonFiles } from './import-ndjson.js';
import type { Tenant } from './tenant.js';

const GOLDEN = fileURLToPath(new URL('../../hunting/golden/', import.meta.url));
const NOW = new Date('2026-11-29T00:00:00Z');
const names = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.kql'))
  .map((f) => f.slice(0, -4))
  .sort();

describe('hunting golden tests: KQL → SQL → rows', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-golden-'));
  const data = new DataDir(dir);
  let tenant: Tenant;

  beforeAll(async () => {
    tenant = (await data.createTenant('golden')).tenant;
    await importNdjsonFiles(tenant, [join(GOLDEN, 'fixture.ndjson')]);
  });
  afterAll(async () => {
    await data.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(names)('%s', async (name) => {
    const kql = readFileSync(join(GOLDEN, `${name}.kql`), 'utf8');
    const compiled = (await kqlCompiler()).compile(kql, { now: NOW });
    if (isCompileFailure(compiled)) throw new Error(JSON.stringify(compiled.diagnostics));
    const sqlFile = join(GOLDEN, `${name}.duckdb.sql`);
    const sql = `${compiled.sql}\n-- params: ${JSON.stringify(compiled.params)}\n`;
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(sqlFile)) writeFileSync(sqlFile, sql);
    expect(sql).toBe(readFileSync(sqlFile, 'utf8'));
    const expected = JSON.parse(readFileSync(join(GOLDEN, `${name}.rows.json`), 'utf8')) as unknown[];
    const result = await runHunt(tenant.telemetry, kql, { now: NOW });
    expect(result.Results).toEqual(expected);
  });

  it('returns render as a chart hint', async () => {
    const r = await runHunt(
      tenant.telemetry,
      'DeviceProcessEvents | summarize count() by DeviceName | render timechart with (title="x")',
      { now: NOW },
    );
    expect(r.Chart).toEqual({ type: 'timechart', properties: { title: 'x' } });
    expect(r.Schema).toEqual([
      { Name: 'DeviceName', Type: 'String' },
      { Name: 'count_', Type: 'Int64' },
    ]);
  });
});
