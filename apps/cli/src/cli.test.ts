import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer, stopServer, vigil } from './test-support.js';

const row = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    Table: i % 2 === 0 ? 'DeviceProcessEvents' : 'DeviceNetworkEvents',
    Timestamp: `2026-11-2${i % 9}T10:00:00Z`,
    ActionType: i % 2 === 0 ? 'ProcessCreated' : 'ConnectionSuccess',
    DeviceId: 'dev-1',
    DeviceName: 'host-1',
    ReportId: i,
    ...extra,
  });

describe('vigil CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-cli-'));
  const data = join(dir, 'data');
  const good = join(dir, 'good.ndjson');
  const bad = join(dir, 'bad.ndjson');
  writeFileSync(good, `${Array.from({ length: 25 }, (_, i) => row(i)).join('\n')}\n`);
  writeFileSync(bad, `${row(1)}\n${row(3, { RemotePort: 'http' })}\n${row(5, { Table: 'Nope' })}\n`);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a tenant and prints its admin once', () => {
    const r = vigil(['tenant', 'create', 'acme', '--data', data]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/password: \S{12,}/);
    const again = vigil(['tenant', 'create', 'acme', '--data', data]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('TENANT_EXISTS');
    const badName = vigil(['tenant', 'create', 'Bad_Name', '--data', data]);
    expect(badName.stderr).toContain('TENANT_BAD_NAME');
  });

  it('imports NDJSON and prints counts per table', () => {
    const r = vigil(['import', '--data', data, '--tenant', 'acme', good]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('DeviceProcessEvents\t13');
    expect(r.stdout).toContain('DeviceNetworkEvents\t12');
    expect(r.stdout).toContain('imported 25 rows');
    // Importing the same file again stores nothing twice.
    const again = vigil(['import', '--data', data, '--tenant', 'acme', good]);
    expect(again.stdout).toContain('imported 0 rows');
  });

  it('rejects a bad file naming file, line and field, and stores nothing', () => {
    const r = vigil(['import', '--data', data, '--tenant', 'acme', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${bad}:2 field RemotePort: INGEST_WRONG_TYPE`);
    expect(r.stderr).toContain(`${bad}:3 field Table: INGEST_UNKNOWN_TABLE`);
    const count = vigil([
      'sql',
      '--data',
      data,
      '--tenant',
      'acme',
      '--format',
      'ndjson',
      'SELECT count(*) AS n FROM DeviceNetworkEvents',
    ]);
    expect(JSON.parse(count.stdout).n).toBe(12);
  });

  it('prints rows as a table, JSON and NDJSON', () => {
    const q = 'SELECT ReportId, ActionType FROM DeviceProcessEvents ORDER BY ReportId LIMIT 2';
    const table = vigil(['sql', '--data', data, '--tenant', 'acme', q]);
    expect(table.stdout).toMatch(/ReportId\s+ActionType\n-+\s+-+\n0\s+ProcessCreated\n2\s+ProcessCreated\n\(2 rows\)/);
    const json = vigil(['sql', '--data', data, '--tenant', 'acme', '--format', 'json', q]);
    expect(JSON.parse(json.stdout)).toEqual([
      { ReportId: 0, ActionType: 'ProcessCreated' },
      { ReportId: 2, ActionType: 'ProcessCreated' },
    ]);
    const bad = vigil(['sql', '--data', data, '--tenant', 'nope', q]);
    expect(bad.stderr).toContain('TENANT_UNKNOWN');
  });

  it('works beside a running server through its admin socket', async () => {
    const server = await spawnServer(data);
    try {
      const token = vigil(['tenant', 'enroll-token', 'acme', '--data', data, '--max-uses', '1']);
      expect(token.status, token.stderr).toBe(0);
      expect(token.stdout).toMatch(/^vge_acme_/);
      const other = join(dir, 'more.ndjson');
      writeFileSync(other, `${row(100)}\n${row(102)}\n`);
      const imp = vigil(['import', '--data', data, '--tenant', 'acme', other]);
      expect(imp.status, imp.stderr).toBe(0);
      expect(imp.stdout).toContain('imported 2 rows');
      const sql = vigil([
        'sql',
        '--data',
        data,
        '--tenant',
        'acme',
        '--format',
        'ndjson',
        'SELECT count(*) AS n FROM DeviceProcessEvents',
      ]);
      expect(sql.status, sql.stderr).toBe(0);
      expect(JSON.parse(sql.stdout).n).toBe(15);
      const badSql = vigil(['sql', '--data', data, '--tenant', 'acme', 'SELECT NoSuchColumn FROM DeviceProcessEvents']);
      expect(badSql.status).toBe(1);
      expect(badSql.stderr).toMatch(/SQL_FAILED.*NoSuchColumn/);
      const created = vigil(['tenant', 'create', 'beta', '--data', data]);
      expect(created.status, created.stderr).toBe(0);
      const health = (await (await fetch(`${server.url}/healthz`)).json()) as { tenants: number };
      // acme and beta: a default tenant is made only by the first start of an empty data dir.
      expect(health.tenants).toBe(2);
      const badImport = vigil(['import', '--data', data, '--tenant', 'acme', bad]);
      expect(badImport.status).toBe(1);
      expect(badImport.stderr).toContain('INGEST_WRONG_TYPE');
    } finally {
      await stopServer(server);
    }
  });

  it('imports an ATT&CK bundle as the data dir catalog', () => {
    const bundle = join(dir, 'attack.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        type: 'bundle',
        objects: [
          { type: 'x-mitre-collection', x_mitre_version: '99.0' },
          {
            type: 'attack-pattern',
            name: 'Test Technique',
            external_references: [{ source_name: 'mitre-attack', external_id: 'T1234' }],
            kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
          },
        ],
      }),
    );
    const r = vigil(['attack', 'import', bundle, '--data', data]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('imported ATT&CK 99.0: 1 techniques');
    const bad = vigil(['attack', 'import', join(dir, 'good.ndjson'), '--data', data]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('ATTACK_BAD_BUNDLE');
  });
});
