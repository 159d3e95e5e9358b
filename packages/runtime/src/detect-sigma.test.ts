import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDir } from './data-dir.js';
import { categoryOf } from './detect-sigma.js';

describe('Sigma rules at ingest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-sigma-'));
  const data = new DataDir(dir);
  afterAll(async () => {
    await data.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const row = (cmd: string, i: number) => ({
    Timestamp: '2026-11-20T10:00:00.000000Z',
    DeviceId: 'dev-1',
    DeviceName: 'ws01',
    ActionType: 'ProcessCreated',
    FileName: 'rundll32.exe',
    FolderPath: 'C:\\Windows\\System32\\rundll32.exe',
    ProcessCommandLine: cmd,
    ReportId: i,
  });

  it('raises an ATT&CK-mapped alert when a bundled rule matches a stored event, and not for benign ones', async () => {
    const { tenant } = await data.createTenant('sigma');
    await tenant.submit({
      key: 'b1',
      rowCount: 2,
      tables: new Map([
        [
          'DeviceProcessEvents',
          [
            row('rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full', 1),
            row('rundll32.exe shell32.dll,Control_RunDLL', 2),
          ],
        ],
      ]),
    });
    await tenant.settled();
    const alerts = await tenant.alerts.list();
    expect(alerts.total).toBe(1);
    expect(alerts.items[0]).toMatchObject({
      title: 'LSASS Memory Dump Via Comsvcs.dll MiniDump',
      detectionSource: 'Sigma',
      severity: 'High',
      category: 'CredentialAccess',
      mitreTechniques: ['T1003.001'],
      machineId: 'dev-1',
    });
    expect(data.rules.ruleset().rules.length).toBeGreaterThanOrEqual(9);
  });

  it('evaluates every batch stored before close, in the worker, before the tenant closes', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vigil-sigma-close-'));
    try {
      const first = new DataDir(root);
      const { tenant } = await first.createTenant('closing');
      const dump = 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full';
      const submits = Array.from({ length: 5 }, (_, b) =>
        tenant.submit({
          key: `c${b}`,
          rowCount: 200,
          tables: new Map([
            ['DeviceProcessEvents', Array.from({ length: 200 }, (_, i) => ({ ...row(dump, i), DeviceId: `dev-${b}` }))],
          ]),
        }),
      );
      await Promise.all(submits);
      // No settled(): closing must drain detection itself.
      await first.close();
      const again = new DataDir(root);
      try {
        const alerts = await (await again.tenant('closing')).alerts.list();
        expect(alerts.items.map((a) => a.machineId).sort()).toEqual(['dev-0', 'dev-1', 'dev-2', 'dev-3', 'dev-4']);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names the category from the first tactic tag', () => {
    expect(categoryOf(['attack.t1059', 'attack.defense-evasion', 'attack.execution'])).toBe('DefenseEvasion');
    expect(categoryOf(['attack.t1059'])).toBe('SuspiciousActivity');
  });
});
