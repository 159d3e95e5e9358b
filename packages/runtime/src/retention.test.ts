import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@vigil/base';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDir } from './data-dir.js';

describe('retention', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-ret-'));
  const clock = new ManualClock(new Date('2026-11-29T00:00:00Z'));
  const data = new DataDir(dir, { clock });
  afterAll(async () => {
    await data.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deletes telemetry older than the tenant retention and keeps snapshots', async () => {
    const { tenant } = await data.createTenant('ret');
    const ts = (daysAgo: number) => new Date(clock.now().getTime() - daysAgo * 86_400_000).toISOString();
    await tenant.submit({
      key: 'k1',
      rowCount: 4,
      tables: new Map([
        [
          'DeviceProcessEvents',
          [
            { Timestamp: ts(1), ReportId: 1 },
            { Timestamp: ts(179), ReportId: 2 },
            { Timestamp: ts(181), ReportId: 3 },
          ],
        ],
        ['DeviceTvmSoftwareInventory', [{ DeviceId: 'd', SoftwareName: 'openssl' }]],
      ]),
    });
    const count = async (t: string) => Number((await tenant.telemetry.query(`SELECT count(*) FROM ${t}`)).rows[0]?.[0]);
    expect(await tenant.retentionDays()).toBe(180);
    expect(await tenant.enforceRetention()).toBe(1);
    expect(await count('DeviceProcessEvents')).toBe(2);
    await tenant.setRetentionDays(30);
    expect(await tenant.enforceRetention()).toBe(1);
    expect(await count('DeviceProcessEvents')).toBe(1);
    expect(await count('DeviceTvmSoftwareInventory')).toBe(1);
    await expect(tenant.setRetentionDays(0)).rejects.toMatchObject({ code: 'TENANT_BAD_RETENTION' });
  });
});
