import { describe, expect, it } from 'vitest';
import type { BatchWrite, TelemetryStore } from '../telemetry-store.js';

/** A fresh, empty store with the full hunting schema, and a way to dispose of it. */
export interface TelemetryStoreFixture {
  readonly store: TelemetryStore;
  dispose(): Promise<void>;
}

const rows = (key: string, n: number, day = '2026-11-01') =>
  Array.from({ length: n }, (_, i) => ({
    Timestamp: `${day}T00:00:${String(i % 60).padStart(2, '0')}.123456Z`,
    DeviceId: 'dev',
    ProcessId: i,
    ReportId: '9007199254740993',
    FileName: `${key}-${i}`,
    ProcessCommandLine: 'say "hi" \\ \n bye',
  }));

const batch = (key: string, n = 3, day?: string): BatchWrite => ({
  key,
  rowCount: n + 1,
  tables: new Map<string, readonly Record<string, unknown>[]>([
    ['DeviceProcessEvents', rows(key, n, day)],
    ['DeviceTvmSoftwareVulnerabilitiesKB', [{ CveId: `CVE-${key}`, CvssScore: 9.8, AffectedSoftware: [{ v: 1 }] }]],
  ]) as BatchWrite['tables'],
});

/** The behaviour every TelemetryStore adapter must have; run it from each adapter's tests. */
export function telemetryStoreContract(name: string, open: () => Promise<TelemetryStoreFixture>): void {
  describe(`TelemetryStore contract: ${name}`, () => {
    const withStore = (fn: (s: TelemetryStore) => Promise<void>) => async () => {
      const f = await open();
      try {
        await fn(f.store);
      } finally {
        await f.dispose();
      }
    };
    const count = async (s: TelemetryStore, table: string) =>
      Number((await s.query(`SELECT count(*) FROM ${table}`)).rows[0]?.[0]);

    it(
      'stores batches and keeps values exactly',
      withStore(async (s) => {
        expect(await s.writeBatches([batch('a'), batch('b', 2)])).toEqual({ stored: ['a', 'b'], duplicates: [] });
        expect(await count(s, 'DeviceProcessEvents')).toBe(5);
        const r = await s.query(
          "SELECT ReportId, ProcessCommandLine, CAST(Timestamp AS VARCHAR) FROM DeviceProcessEvents WHERE FileName = 'a-1'",
        );
        expect(r.rows[0]).toEqual(['9007199254740993', 'say "hi" \\ \n bye', '2026-11-01 00:00:01.123456']);
        expect(await s.hasBatch('a')).toBe(true);
        expect(await s.hasBatch('zzz')).toBe(false);
      }),
    );

    it(
      'never stores a key twice, within a group or across groups',
      withStore(async (s) => {
        await s.writeBatches([batch('a')]);
        expect(await s.writeBatches([batch('a'), batch('c'), batch('c')])).toEqual({
          stored: ['c'],
          duplicates: ['a', 'c'],
        });
        expect(await count(s, 'DeviceProcessEvents')).toBe(6);
      }),
    );

    it(
      'writes nothing of a group when one batch fails',
      withStore(async (s) => {
        const bad: BatchWrite = { key: 'bad', rowCount: 1, tables: new Map([['NoSuchTable', [{ x: 1 }]]]) };
        await expect(s.writeBatches([batch('ok'), bad])).rejects.toThrow();
        expect(await count(s, 'DeviceProcessEvents')).toBe(0);
        expect(await s.hasBatch('ok')).toBe(false);
      }),
    );

    it(
      'deletes by time and counts tables',
      withStore(async (s) => {
        await s.writeBatches([batch('old', 2, '2020-01-01'), batch('new', 3, '2026-11-01')]);
        expect(await s.deleteOlderThan(new Date('2026-01-01T00:00:00Z'))).toBe(2);
        const counts = await s.counts();
        expect(counts.find((c) => c.table === 'DeviceProcessEvents')?.rows).toBe(3);
        expect(counts.find((c) => c.table === 'DeviceTvmSoftwareVulnerabilitiesKB')?.rows).toBe(2);
        expect(s.sizeBytes()).toBeGreaterThan(0);
      }),
    );
  });
}
