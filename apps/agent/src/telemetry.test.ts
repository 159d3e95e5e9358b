import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEGMENT, Spool, segmentNdjson } from './spool.js';
import { Telemetry } from './telemetry.js';

describe('Telemetry', () => {
  it('stamps ReportId and skew-corrected Timestamps, and refuses rows the server would refuse', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-telemetry-'));
    const spool = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 't');
    const logs: string[] = [];
    const t = new Telemetry(spool, (l) => logs.push(l));
    t.setSkew(3_600_000);
    const before = Date.now() + 3_600_000;
    t.emit([
      { Table: 'DeviceEvents', ActionType: 'A' },
      { Table: 'DeviceEvents', ActionType: 'B', Timestamp: '2026-01-01T00:00:00Z' },
      { Table: 'DeviceEvents', NoSuchColumn: 1 },
      { Table: 'AlertInfo', Title: 'x' },
      { Table: 'DeviceTvmSoftwareInventory', SoftwareName: 'bash' },
    ]);
    spool.flush();
    const rows = segmentNdjson(readFileSync(join(dir, SEGMENT)))
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    expect(Date.parse(rows[0]?.Timestamp as string)).toBeGreaterThanOrEqual(before - 5);
    expect(rows[1]?.Timestamp).toBe('2026-01-01T00:00:00Z');
    expect((rows[1]?.ReportId as number) - (rows[0]?.ReportId as number)).toBe(1);
    expect(rows[2]).toEqual({ Table: 'DeviceTvmSoftwareInventory', SoftwareName: 'bash' });
    expect(t.stats.invalidRows).toBe(2);
    expect(logs.some((l) => l.includes('INGEST_UNKNOWN_COLUMN'))).toBe(true);
    expect(logs.some((l) => l.includes('INGEST_TABLE_NOT_WRITABLE'))).toBe(true);
    expect(t.corrected('2026-01-01T00:00:00.000Z')).toBe('2026-01-01T01:00:00.000Z');
    spool.close();
  });

  it('gives a local time in ms as the server sees it, again after the skew changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-telemetry-'));
    const spool = new Spool(dir, { maxBytes: 1 << 20, batchMaxRows: 100 }, 't');
    const t = new Telemetry(spool, () => {});
    const ms = Date.parse('2026-11-29T22:00:00.123Z');
    expect(t.at(ms)).toBe('2026-11-29T22:00:00.123Z');
    expect(t.at(ms)).toBe('2026-11-29T22:00:00.123Z');
    t.setSkew(-1000);
    expect(t.at(ms)).toBe('2026-11-29T21:59:59.123Z');
    expect(t.at(ms + 1)).toBe('2026-11-29T21:59:59.124Z');
    spool.close();
  });
});
