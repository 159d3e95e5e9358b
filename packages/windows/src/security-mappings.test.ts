import { describe, expect, it } from 'vitest';
import { normalizeWindowsEvent } from './normalize-windows-event.js';
import { rowTypeProblems } from './row-type-problems.js';
import { securityMappings } from './security-mappings.js';
import type { WindowsEvent } from './windows-event.js';

// Field values taken from Security events of the Security-Datasets and Sigma regression corpora.
function security(eventId: number, data: Record<string, unknown>, dataKind: 'EventData' | 'UserData' = 'EventData') {
  return {
    provider: 'Microsoft-Windows-Security-Auditing',
    providerGuid: '{54849625-5478-4994-A5BA-3E3B0328C30D}',
    eventId,
    keywords: '0x8020000000000000',
    timeCreated: '2020-10-22T18:33:27.123456Z',
    recordId: 624077,
    channel: 'Security',
    computer: 'MORDORDC.theshire.local',
    processId: 696,
    threadId: 1776,
    data,
    dataKind,
  } satisfies WindowsEvent;
}

const subject = {
  SubjectUserSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
  SubjectUserName: 'pgustavo',
  SubjectDomainName: 'THESHIRE',
  SubjectLogonId: '0x9cc0b6',
};
const subjectColumns = {
  InitiatingProcessAccountSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
  InitiatingProcessAccountName: 'pgustavo',
  InitiatingProcessAccountDomain: 'THESHIRE',
};
const logon = {
  SubjectUserSid: 'S-1-5-18',
  SubjectUserName: 'MORDORDC$',
  SubjectDomainName: 'THESHIRE',
  SubjectLogonId: '0x3e7',
  TargetUserSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
  TargetUserName: 'pgustavo',
  TargetDomainName: 'THESHIRE',
  LogonType: '10',
  LogonProcessName: 'User32 ',
  AuthenticationPackageName: 'Negotiate',
  WorkstationName: 'WORKSTATION6',
  ProcessId: '0x2a4',
  ProcessName: 'C:\\Windows\\System32\\svchost.exe',
  IpAddress: '172.18.39.106',
  IpPort: '0',
};
const newUser = {
  TargetUserName: 'backdoor',
  TargetDomainName: 'WORKSTATION5',
  TargetSid: 'S-1-5-21-3940915590-64593676-1414006259-1010',
  ...subject,
};
const userColumns = {
  AccountName: 'backdoor',
  AccountDomain: 'WORKSTATION5',
  AccountSid: 'S-1-5-21-3940915590-64593676-1414006259-1010',
  ...subjectColumns,
};
const member = {
  MemberName: 'CN=Pedro Gustavo,CN=Users,DC=theshire,DC=local',
  MemberSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
  TargetUserName: 'Administrators',
  TargetDomainName: 'Builtin',
  TargetSid: 'S-1-5-32-544',
  ...subject,
  PrivilegeList: '-',
};
const memberColumns = {
  ActionType: 'UserAccountAddedToLocalGroup',
  AccountName: 'Pedro Gustavo',
  AccountSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
};

const cases: readonly { name: string; event: WindowsEvent; table: string; columns: Record<string, unknown> }[] = [
  {
    name: '4634 logoff',
    event: security(4634, {
      TargetUserName: 'pgustavo',
      TargetDomainName: 'THESHIRE',
      TargetLogonId: '0x10',
      LogonType: '10',
    }),
    table: 'DeviceLogonEvents',
    columns: {
      ActionType: 'Logoff',
      AccountName: 'pgustavo',
      AccountDomain: 'THESHIRE',
      LogonType: 'RemoteInteractive',
      LogonId: 16,
    },
  },
  {
    name: '4672 special privileges',
    event: security(4672, { SubjectUserName: 'pgustavo', SubjectDomainName: 'THESHIRE', SubjectLogonId: '0x10' }),
    table: 'DeviceEvents',
    columns: { ActionType: 'PrivilegedLogon', AccountName: 'pgustavo', AccountDomain: 'THESHIRE', LogonId: 16 },
  },
  {
    name: '4624 logon',
    event: security(4624, { ...logon, ElevatedToken: '%%1842', TargetLogonId: '0x2b7e3c0', LogonGuid: '{9aae246d}' }),
    table: 'DeviceLogonEvents',
    columns: {
      Timestamp: '2020-10-22T18:33:27.123456Z',
      ActionType: 'LogonSuccess',
      LogonType: 'RemoteInteractive',
      AccountName: 'pgustavo',
      AccountDomain: 'THESHIRE',
      AccountSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
      Protocol: 'Negotiate',
      IsLocalAdmin: true,
      LogonId: 45605824,
      RemoteDeviceName: 'WORKSTATION6',
      RemoteIP: '172.18.39.106',
      RemoteIPType: 'Private',
      InitiatingProcessFileName: 'svchost.exe',
      InitiatingProcessId: 676,
      InitiatingProcessAccountName: 'MORDORDC$',
      InitiatingProcessAccountSid: 'S-1-5-18',
    },
  },
  {
    name: '4625 failed logon',
    event: security(4625, {
      ...logon,
      TargetUserSid: 'S-1-0-0',
      LogonType: '3',
      Status: '0xc000006d',
      FailureReason: '%%2313',
      SubStatus: '0xc000006a',
      ProcessId: '0x0',
      ProcessName: '-',
    }),
    table: 'DeviceLogonEvents',
    columns: {
      ActionType: 'LogonFailed',
      LogonType: 'Network',
      AccountName: 'pgustavo',
      FailureReason: 'WrongPassword',
    },
  },
  {
    name: '4648 explicit credentials',
    event: security(4648, {
      ...subject,
      LogonGuid: '{00000000-0000-0000-0000-000000000000}',
      TargetUserName: 'testuser',
      TargetDomainName: 'swachchhanda',
      TargetServerName: 'localhost',
      TargetInfo: 'localhost',
      ProcessId: '0x378',
      ProcessName: 'C:\\Users\\xodih\\OneDrive\\Desktop\\LegacyHive.exe',
      IpAddress: '-',
      IpPort: '-',
    }),
    table: 'DeviceLogonEvents',
    columns: {
      ActionType: 'LogonAttempted',
      AccountName: 'testuser',
      AccountDomain: 'swachchhanda',
      RemoteDeviceName: 'localhost',
      InitiatingProcessFileName: 'LegacyHive.exe',
      InitiatingProcessId: 888,
      ...subjectColumns,
    },
  },
  {
    name: '4688 process creation',
    event: security(4688, {
      ...subject,
      NewProcessId: '0x27cc',
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
      TokenElevationType: '%%1937',
      ProcessId: '0x111c',
      CommandLine: '"C:\\windows\\system32\\whoami.exe" /user',
      TargetUserSid: 'S-1-0-0',
      TargetUserName: '-',
      TargetDomainName: '-',
      TargetLogonId: '0x0',
      ParentProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      MandatoryLabel: 'S-1-16-12288',
    }),
    table: 'DeviceProcessEvents',
    columns: {
      ActionType: 'ProcessCreated',
      FileName: 'whoami.exe',
      FolderPath: 'C:\\Windows\\System32\\whoami.exe',
      ProcessId: 10188,
      ProcessCommandLine: '"C:\\windows\\system32\\whoami.exe" /user',
      ProcessIntegrityLevel: 'High',
      ProcessTokenElevation: 'TokenElevationTypeFull',
      ProcessCreationTime: '2020-10-22T18:33:27.123456Z',
      AccountName: 'pgustavo',
      AccountSid: 'S-1-5-21-2323213074-4052461197-1785501644-1104',
      LogonId: 10272950,
      InitiatingProcessFileName: 'powershell.exe',
      InitiatingProcessId: 4380,
      InitiatingProcessLogonId: 10272950,
      ...subjectColumns,
    },
  },
  {
    name: '4697 service installed',
    event: security(4697, {
      ...subject,
      ServiceName: 'PGUJLOAKFQFVOMHGFQPX',
      ServiceFileName: '%COMSPEC% /C "%COMSPEC% /C start /b powershell -noP -sta -w 1 -enc SQBGACgA"',
      ServiceType: '0x10',
      ServiceStartType: '3',
      ServiceAccount: 'LocalSystem',
    }),
    table: 'DeviceEvents',
    columns: { ActionType: 'ServiceInstalled', FileName: '%COMSPEC%', ...subjectColumns },
  },
  {
    name: '4698 scheduled task created',
    event: security(4698, {
      ...subject,
      TaskName: '\\Microsoft\\Windows\\SoftwareProtectionPlatform\\EventCacheManager',
      TaskContent: '<?xml version="1.0" encoding="UTF-16"?><Task version="1.2"></Task>',
      ClientProcessStartKey: '5629499534214316',
      ClientProcessId: '3948',
      ParentProcessId: '1024',
      RpcCallClientLocality: '0',
      FQDN: 'WORKSTATION6.theshire.local',
    }),
    table: 'DeviceEvents',
    columns: {
      ActionType: 'ScheduledTaskCreated',
      InitiatingProcessId: 3948,
      InitiatingProcessUniqueId: '5629499534214316',
      ...subjectColumns,
    },
  },
  {
    name: '4720 user created',
    event: security(4720, newUser),
    table: 'DeviceEvents',
    columns: { ActionType: 'UserAccountCreated', ...userColumns },
  },
  {
    name: '4722 user enabled',
    event: security(4722, newUser),
    table: 'DeviceEvents',
    columns: { ActionType: 'UserAccountModified', ...userColumns },
  },
  {
    name: '4724 password reset',
    event: security(4724, newUser),
    table: 'DeviceEvents',
    columns: { ActionType: 'UserAccountModified', ...userColumns },
  },
  {
    name: '4726 user deleted',
    event: security(4726, newUser),
    table: 'DeviceEvents',
    columns: { ActionType: 'UserAccountDeleted', ...userColumns },
  },
  { name: '4728 global group member', event: security(4728, member), table: 'DeviceEvents', columns: memberColumns },
  { name: '4732 local group member', event: security(4732, member), table: 'DeviceEvents', columns: memberColumns },
  { name: '4756 universal group member', event: security(4756, member), table: 'DeviceEvents', columns: memberColumns },
  {
    name: '1102 log cleared',
    event: {
      ...security(1102, { ...subject, SubjectLogonId: '0x4dc7c' }, 'UserData'),
      provider: 'Microsoft-Windows-Eventlog',
    },
    table: 'DeviceEvents',
    columns: { ActionType: 'SecurityLogCleared', ...subjectColumns, InitiatingProcessLogonId: 318588 },
  },
];

describe('Security mappings', () => {
  it.each(cases)('maps $name', ({ event, table, columns }) => {
    const out = normalizeWindowsEvent(event);
    expect(out.problem).toBeUndefined();
    expect(out.table).toBe(table);
    expect(out.row).toMatchObject({ DeviceName: 'mordordc.theshire.local', ReportId: 624077, ...columns });
    expect(rowTypeProblems(out.table, out.row)).toEqual([]);
    expect(JSON.parse(String(out.row.AdditionalFields))).toMatchObject({
      ...event.data,
      EventID: event.eventId,
      Channel: 'Security',
      Provider: event.provider,
    });
  });

  it('names the group of a membership change in AdditionalFields', () => {
    const out = normalizeWindowsEvent(security(4732, member));
    expect(JSON.parse(String(out.row.AdditionalFields))).toMatchObject({ GroupSid: 'S-1-5-32-544' });
  });

  it.each([
    ['2', 'Interactive'],
    ['3', 'Network'],
    ['4', 'Batch'],
    ['5', 'Service'],
    ['7', 'Unlock'],
    ['8', 'NetworkCleartext'],
    ['9', 'NewCredentials'],
    ['10', 'RemoteInteractive'],
    ['11', 'CachedInteractive'],
    ['99', '99'],
  ])('names logon type %s %s', (type, name) => {
    expect(normalizeWindowsEvent(security(4624, { ...logon, LogonType: type })).row.LogonType).toBe(name);
  });

  it('maps 4634 logoff to DeviceLogonEvents Logoff (a Vigil ActionType: Defender records no logoffs)', () => {
    const out = normalizeWindowsEvent(
      security(4634, {
        TargetUserSid: 'S-1-5-21-1-2-3-1001',
        TargetUserName: 'bob',
        TargetDomainName: 'CORP',
        TargetLogonId: '0x3e7',
        LogonType: '3',
      }),
    );
    expect(out.table).toBe('DeviceLogonEvents');
    expect(out.row).toMatchObject({
      ActionType: 'Logoff',
      AccountName: 'bob',
      AccountDomain: 'CORP',
      LogonType: 'Network',
      LogonId: 999,
    });
  });

  it('maps 4672 to DeviceEvents PrivilegedLogon with the privileges kept in AdditionalFields', () => {
    const out = normalizeWindowsEvent(security(4672, { ...subject, PrivilegeList: 'SeDebugPrivilege' }));
    expect(out.table).toBe('DeviceEvents');
    expect(out.row.ActionType).toBe('PrivilegedLogon');
    expect(JSON.parse(String(out.row.AdditionalFields)).PrivilegeList).toBe('SeDebugPrivilege');
  });

  it('keeps an unmapped Security event raw', () => {
    const out = normalizeWindowsEvent(security(4799, subject));
    expect(out.table).toBe('VigilRawEvents');
    expect(out.row).toMatchObject({ Source: 'evtx:Security', EventType: '4799' });
  });

  it('has a case for every Security mapping', () => {
    const covered = new Set(cases.map((c) => c.event.eventId));
    expect(securityMappings.filter((m) => !covered.has(m.eventId)).map((m) => m.eventId)).toEqual([]);
  });
});
