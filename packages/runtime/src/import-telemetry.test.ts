import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataDir } from './data-dir.js';
import { importTelemetry } from './import-telemetry.js';
import type { Tenant } from './tenant.js';

const CORPORA =
  process.env.VIGIL_CORPORA ?? resolve(fileURLToPath(new URL('../../../../shared/corpora', import.meta.url)));
const EVTX = join(CORPORA, 'evtx-attack-samples');
const GOLDEN = fileURLToPath(new URL('../../hunting/golden/fixture.ndjson', import.meta.url));

describe('importTelemetry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-import-'));
  const data = new DataDir(dir);
  let tenant: Tenant;
  beforeAll(async () => {
    tenant = (await data.createTenant('imp')).tenant;
  });
  afterAll(async () => {
    await data.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const count = async (sql: string) => Number((await tenant.telemetry.query(sql)).rows[0]?.[0]);

  it('dry-runs NDJSON rows without storing them', async () => {
    const s = await importTelemetry(tenant, [GOLDEN], { dryRun: true });
    expect(s.rows).toEqual({ DeviceProcessEvents: 7, DeviceNetworkEvents: 3, DeviceInfo: 3 });
    expect(s.dryRun).toBe(true);
    expect(await count('SELECT count(*) FROM DeviceProcessEvents')).toBe(0);
  });

  describe.skipIf(!existsSync(join(EVTX, 'manifest.jsonl')))('evtx-attack-samples corpus (VIGIL_CORPORA)', () => {
    const manifest = existsSync(join(EVTX, 'manifest.jsonl'))
      ? readFileSync(join(EVTX, 'manifest.jsonl'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as { records: number })
      : [];
    const total = manifest.reduce((s, m) => s + m.records, 0);

    it('stores every record of every file exactly once, even when imported twice', async () => {
      const first = await importTelemetry(tenant, [EVTX]);
      const stored = Object.values(first.rows).reduce((a, b) => a + b, 0);
      expect(stored).toBe(total);
      // The only problem is the manifest itself, which is not telemetry.
      expect(first.problems.map((p) => p.code)).toEqual(['IMPORT_UNKNOWN_FORMAT']);
      expect(first.coverage?.events).toBe(total);
      const again = await importTelemetry(tenant, [EVTX]);
      expect(Object.values(again.rows).reduce((a, b) => a + b, 0)).toBe(0);
      const tables = [
        'DeviceProcessEvents',
        'DeviceNetworkEvents',
        'DeviceFileEvents',
        'DeviceRegistryEvents',
        'DeviceLogonEvents',
        'DeviceImageLoadEvents',
        'DeviceEvents',
        'VigilRawEvents',
      ];
      let rows = 0;
      for (const t of tables) rows += await count(`SELECT count(*) FROM ${t}`);
      expect(rows).toBe(total);
    });
  });
});
