import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { vigil } from './test-support.js';

const RULES = fileURLToPath(new URL('../../../content/rules', import.meta.url));

describe('vigil rules check and detect', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-rules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one JSON line per rule, then N passed, M failed, with a specific diagnostic for a broken rule', () => {
    const bad = join(dir, 'bad');
    mkdirSync(bad, { recursive: true });
    writeFileSync(
      join(bad, 'bad.yml'),
      'title: Broken\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n  sel:\n    CommandLine|containz: x\n  condition: sel\n',
    );
    const r = vigil(['rules', 'check', RULES, bad]);
    const lines = r.stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^\d+ passed, 1 failed$/);
    const broken = lines
      .slice(0, -1)
      .map((l) => JSON.parse(l))
      .find((x) => !x.ok);
    expect(broken.path).toContain('bad.yml');
    expect(broken.diagnostics[0].code).toBe('SIGMA_UNKNOWN_MODIFIER');
    expect(broken.diagnostics[0].message).toContain('bad.yml:7');
    expect(r.status).toBe(1);
  });

  it('detects offline over an evtx_dump JSON export and prints alerts as JSON lines', () => {
    const events = join(dir, 'events.json');
    writeFileSync(
      events,
      JSON.stringify({
        Event: {
          System: {
            Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
            EventID: 1,
            TimeCreated: { '#attributes': { SystemTime: '2026-11-20T10:00:00.000000Z' } },
            EventRecordID: 42,
            Channel: 'Microsoft-Windows-Sysmon/Operational',
            Computer: 'WS01',
          },
          EventData: {
            Image: 'C:\\Windows\\System32\\rundll32.exe',
            CommandLine: 'rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full',
            ParentImage: 'C:\\Windows\\System32\\cmd.exe',
            ProcessId: '77',
          },
        },
      }),
    );
    const r = vigil(['detect', '--rules', RULES, events]);
    expect(r.status, r.stderr).toBe(0);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      rule_id: '33a07426-3d46-4d12-a314-93421265f820',
      level: 'high',
      techniques: ['T1003.001'],
      source: `${events}:1`,
      event: { Table: 'DeviceProcessEvents', FileName: 'rundll32.exe' },
    });
    expect(r.stderr).toContain('1 alert(s) from 1 event(s)');
  });
});
