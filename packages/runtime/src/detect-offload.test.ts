import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SigmaOffload } from './detect-offload.js';

describe('SigmaOffload', () => {
  const root = mkdtempSync(join(tmpdir(), 'vigil-offload-'));
  const offload = new SigmaOffload(root);
  afterAll(async () => {
    await offload.close();
    rmSync(root, { recursive: true, force: true });
  });

  const row = (cmd: string, i: number) => ({
    Timestamp: '2026-11-20T10:00:00.000000Z',
    DeviceId: 'dev-1',
    ActionType: 'ProcessCreated',
    FileName: 'rundll32.exe',
    FolderPath: 'C:\\Windows\\System32\\rundll32.exe',
    ProcessCommandLine: cmd,
    ReportId: i,
  });

  it('counts the rows it is behind, lets waiters through once they are evaluated, and finds matches', async () => {
    const rows = [
      row('rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full', 1),
      row('rundll32.exe shell32.dll,Control_RunDLL', 2),
    ];
    // The sender's NDJSON, Table key included, as ingest hands it over.
    const raw = Buffer.from(`${rows.map((r) => JSON.stringify({ Table: 'DeviceProcessEvents', ...r })).join('\n')}\n`);
    const found = offload.evaluate({
      key: 'b1',
      rowCount: 2,
      tables: new Map([['DeviceProcessEvents', { ndjson: raw, rows: rows.length }]]),
    });
    expect(offload.backlogRows).toBe(2);
    const room = offload.below(1, 120_000);
    const matches = await found;
    expect(await room).toBe(true);
    expect(offload.backlogRows).toBe(0);
    expect(matches.map((m) => [m.row.ReportId, m.detection.title, 'Table' in m.row])).toEqual([
      [1, 'LSASS Memory Dump Via Comsvcs.dll MiniDump', false],
    ]);
  });
});
