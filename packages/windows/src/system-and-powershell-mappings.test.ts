import { describe, expect, it } from 'vitest';
import { normalizeWindowsEvent } from './normalize-windows-event.js';
import { powershellMappings } from './powershell-mappings.js';
import { rowTypeProblems } from './row-type-problems.js';
import { systemMappings } from './system-mappings.js';
import type { WindowsEvent } from './windows-event.js';

// Field values taken from System and PowerShell events of the Security-Datasets corpus.
const base = {
  timeCreated: '2020-09-20T06:57:47.000000Z',
  recordId: 7300,
  computer: 'WORKSTATION5.theshire.local',
  processId: 4380,
  threadId: 7760,
  userId: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
  dataKind: 'EventData',
} as const;

const service: WindowsEvent = {
  ...base,
  provider: 'Service Control Manager',
  eventId: 7045,
  channel: 'System',
  data: {
    ServiceName: 'PGUJLOAKFQFVOMHGFQPX',
    ImagePath: '"C:\\Windows\\Temp\\svc host.exe" -k run',
    ServiceType: 'user mode service',
    StartType: 'demand start',
    AccountName: 'LocalSystem',
  },
};

const host = 'C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe -noP -sta -w 1 -enc SQBmACgA';
const command: WindowsEvent = {
  ...base,
  provider: 'Microsoft-Windows-PowerShell',
  eventId: 4103,
  channel: 'Microsoft-Windows-PowerShell/Operational',
  data: {
    ContextInfo:
      '        Severity = Informational\r\n        Host Name = ConsoleHost\r\n' +
      `        Host Application = ${host}\r\n        Command Name = Start-Sleep\r\n` +
      '        Command Type = Cmdlet\r\n        User = THESHIRE\\pgustavo\r\n        Shell ID = Microsoft.PowerShell\r\n',
    UserData: '',
    Payload:
      'CommandInvocation(Start-Sleep): "Start-Sleep"\r\nParameterBinding(Start-Sleep): name="Seconds"; value="5"\r\n',
  },
};

const script: WindowsEvent = {
  ...command,
  eventId: 4104,
  data: {
    MessageNumber: '1',
    MessageTotal: '1',
    ScriptBlockText: 'Invoke-Mimikatz -DumpCreds',
    ScriptBlockId: '81b7c74d-2ded-4cc1-b971-e0484597d467',
    Path: '',
  },
};

const cases = [
  {
    name: 'System 7045 service installed',
    event: service,
    columns: {
      ActionType: 'ServiceInstalled',
      FileName: 'svc host.exe',
      FolderPath: 'C:\\Windows\\Temp\\svc host.exe',
      InitiatingProcessAccountSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
    },
    additional: {
      ServiceName: 'PGUJLOAKFQFVOMHGFQPX',
      ServiceStartType: 'demand start',
      ServiceAccount: 'LocalSystem',
    },
  },
  {
    name: 'PowerShell 4103 command',
    event: command,
    columns: {
      ActionType: 'PowerShellCommand',
      InitiatingProcessFileName: 'powershell.exe',
      InitiatingProcessFolderPath: 'C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      InitiatingProcessCommandLine: host,
      InitiatingProcessId: 4380,
      InitiatingProcessAccountDomain: 'THESHIRE',
      InitiatingProcessAccountName: 'pgustavo',
    },
    additional: { Command: 'Start-Sleep', Payload: command.data.Payload },
  },
  {
    name: 'PowerShell 4104 script block',
    event: script,
    columns: { ActionType: 'ScriptContent', InitiatingProcessId: 4380 },
    additional: { ScriptBlockText: 'Invoke-Mimikatz -DumpCreds', EventID: 4104 },
  },
];

describe('System and PowerShell mappings', () => {
  it.each(cases)('maps $name to DeviceEvents', ({ event, columns, additional }) => {
    const out = normalizeWindowsEvent(event);
    expect(out.problem).toBeUndefined();
    expect(out.table).toBe('DeviceEvents');
    expect(out.row).toMatchObject({ Timestamp: '2020-09-20T06:57:47.000000Z', ReportId: 7300, ...columns });
    expect(JSON.parse(String(out.row.AdditionalFields))).toMatchObject(additional);
    expect(rowTypeProblems(out.table, out.row)).toEqual([]);
  });

  it('takes the command name from the Payload when ContextInfo has none', () => {
    const out = normalizeWindowsEvent({ ...command, data: { Payload: 'CommandInvocation(Get-Date): "Get-Date"' } });
    expect(JSON.parse(String(out.row.AdditionalFields))).toMatchObject({ Command: 'Get-Date' });
  });

  it('has a case for every System and PowerShell mapping', () => {
    const covered = new Set(cases.map((c) => `${c.event.channel}:${c.event.eventId}`));
    const all = [...systemMappings, ...powershellMappings].map(
      (m) => `${m.source === 'system' ? 'System' : 'Microsoft-Windows-PowerShell/Operational'}:${m.eventId}`,
    );
    expect(all.filter((k) => !covered.has(k))).toEqual([]);
  });
});
