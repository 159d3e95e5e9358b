// Sample Sysmon events for the mapping tests, one or more per mapped event id, with the columns they must fill.
// Field values are taken from Sysmon events of the Security-Datasets and Sigma regression corpora.
import type { WindowsEvent } from './windows-event.js';

/** A Sysmon event of WORKSTATION5 with the given EventData (RuleName and UtcTime preset). */
export function sysmon(eventId: number, data: Record<string, unknown>): WindowsEvent {
  return {
    provider: 'Microsoft-Windows-Sysmon',
    providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    eventId,
    timeCreated: '2020-10-22T18:33:16.000000Z',
    recordId: 519053,
    channel: 'Microsoft-Windows-Sysmon/Operational',
    computer: 'WORKSTATION5.theshire.local',
    processId: 3296,
    threadId: 820,
    userId: 'S-1-5-18',
    data: { RuleName: '-', UtcTime: '2020-10-22 18:33:14.472', ...data },
    dataKind: 'EventData',
  };
}

const powershell = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
const hashes =
  'SHA1=8F1F9E265911956C7F8F3861C34DEF9B8FA63813,MD5=2EEEEC89E705F73FFBCAE014E1828788,' +
  'SHA256=A8A4C4719113B071BB50D67F6E12C188B92C70EEAFDFCD6F5DA69B6AAA99A7FD,IMPHASH=7FF0758B766F747CE57DFAC70743FB88';
const hashColumns = {
  SHA1: '8f1f9e265911956c7f8f3861c34def9b8fa63813',
  MD5: '2eeeec89e705f73ffbcae014e1828788',
  SHA256: 'a8a4c4719113b071bb50d67f6e12c188b92c70eeafdfcd6f5da69b6aaa99a7fd',
};
/** The EventData fields of the process responsible for an event (a PowerShell of pgustavo). */
export const actor = {
  ProcessGuid: '{313fa531-ce1c-5f91-a605-000000000400}',
  ProcessId: '4380',
  Image: powershell,
  User: 'THESHIRE\\pgustavo',
};
/** The InitiatingProcess* columns that `actor` gives. */
export const initiating = {
  InitiatingProcessFileName: 'powershell.exe',
  InitiatingProcessFolderPath: powershell,
  InitiatingProcessId: 4380,
  InitiatingProcessAccountDomain: 'THESHIRE',
  InitiatingProcessAccountName: 'pgustavo',
  InitiatingProcessCreationTime: '2020-10-22T18:23:24.000000Z',
};

/** An event and what its row must hold. */
export interface MappingSample {
  readonly name: string;
  readonly event: WindowsEvent;
  readonly table: string;
  readonly columns: Record<string, unknown>;
}

/** One or more samples per mapped Sysmon event id. */
export const sysmonSamples: readonly MappingSample[] = [
  {
    name: '1 process creation',
    event: sysmon(1, {
      ProcessGuid: '{313fa531-d06a-5f91-b305-000000000400}',
      ProcessId: '10188',
      Image: 'C:\\Windows\\System32\\whoami.exe',
      FileVersion: '10.0.18362.1 (WinBuild.160101.0800)',
      Description: 'whoami - displays logged on user information',
      Product: 'Microsoft® Windows® Operating System',
      Company: 'Microsoft Corporation',
      OriginalFileName: 'whoami.exe',
      CommandLine: '"C:\\windows\\system32\\whoami.exe" /user',
      CurrentDirectory: 'C:\\windows\\system32\\',
      User: 'THESHIRE\\pgustavo',
      LogonId: '0x9cc0b6',
      TerminalSessionId: '2',
      IntegrityLevel: 'High',
      Hashes: hashes,
      ParentProcessGuid: '{313fa531-ce1c-5f91-a605-000000000400}',
      ParentProcessId: '4380',
      ParentImage: powershell,
      ParentCommandLine: `"${powershell}" -noP -sta -w 1 -enc SQBmACgA`,
      ParentUser: 'THESHIRE\\pgustavo',
    }),
    table: 'DeviceProcessEvents',
    columns: {
      Timestamp: '2020-10-22T18:33:14.472000Z',
      ActionType: 'ProcessCreated',
      FileName: 'whoami.exe',
      FolderPath: 'C:\\Windows\\System32\\whoami.exe',
      ...hashColumns,
      ProcessVersionInfoOriginalFileName: 'whoami.exe',
      ProcessVersionInfoCompanyName: 'Microsoft Corporation',
      ProcessId: 10188,
      ProcessCommandLine: '"C:\\windows\\system32\\whoami.exe" /user',
      ProcessIntegrityLevel: 'High',
      ProcessCreationTime: '2020-10-22T18:33:14.472000Z',
      AccountDomain: 'THESHIRE',
      AccountName: 'pgustavo',
      LogonId: 10272950,
      CreatedProcessSessionId: 2,
      ...initiating,
      InitiatingProcessCommandLine: `"${powershell}" -noP -sta -w 1 -enc SQBmACgA`,
    },
  },
  {
    name: '3 outbound connection',
    event: sysmon(3, {
      ...actor,
      Protocol: 'tcp',
      Initiated: 'true',
      SourceIsIpv6: 'false',
      SourceIp: '172.18.39.6',
      SourceHostname: 'WORKSTATION5.theshire.local',
      SourcePort: '50123',
      DestinationIsIpv6: 'false',
      DestinationIp: '172.18.39.5',
      DestinationHostname: 'MORDORDC.theshire.local',
      DestinationPort: '389',
      DestinationPortName: 'ldap',
    }),
    table: 'DeviceNetworkEvents',
    columns: {
      ActionType: 'ConnectionSuccess',
      RemoteIP: '172.18.39.5',
      RemotePort: 389,
      RemoteUrl: 'MORDORDC.theshire.local',
      LocalIP: '172.18.39.6',
      LocalPort: 50123,
      Protocol: 'Tcp',
      LocalIPType: 'Private',
      RemoteIPType: 'Private',
      ...initiating,
    },
  },
  {
    name: '3 inbound connection',
    event: sysmon(3, {
      ...actor,
      Protocol: 'tcp',
      Initiated: 'false',
      SourceIp: '0:0:0:0:0:0:0:1',
      SourcePort: '61901',
      DestinationIp: '0:0:0:0:0:0:0:1',
      DestinationHostname: '-',
      DestinationPort: '5985',
    }),
    table: 'DeviceNetworkEvents',
    columns: {
      ActionType: 'InboundConnectionAccepted',
      RemoteIP: '::1',
      RemotePort: 61901,
      LocalIP: '::1',
      LocalPort: 5985,
      RemoteIPType: 'Loopback',
    },
  },
  {
    name: '5 process terminated',
    event: sysmon(5, {
      ProcessGuid: '{313fa531-d06a-5f91-b305-000000000400}',
      ProcessId: '10188',
      Image: 'C:\\Windows\\System32\\whoami.exe',
    }),
    table: 'DeviceEvents',
    columns: {
      ActionType: 'ProcessTerminated',
      InitiatingProcessFileName: 'whoami.exe',
      InitiatingProcessId: 10188,
      InitiatingProcessCreationTime: '2020-10-22T18:33:14.000000Z',
    },
  },
  {
    name: '6 driver loaded',
    event: sysmon(6, {
      ImageLoaded: 'C:\\Windows\\System32\\drivers\\mimidrv.sys',
      Hashes: hashes,
      Signed: 'false',
      Signature: '-',
      SignatureStatus: 'Unavailable',
    }),
    table: 'DeviceEvents',
    columns: {
      ActionType: 'DriverLoad',
      FileName: 'mimidrv.sys',
      FolderPath: 'C:\\Windows\\System32\\drivers\\mimidrv.sys',
      ...hashColumns,
    },
  },
  {
    name: '7 image loaded',
    event: sysmon(7, {
      ...actor,
      ImageLoaded: 'C:\\Windows\\System32\\drvstore.dll',
      OriginalFileName: 'DRVSTORE.DLL',
      Hashes: hashes,
      Signed: 'true',
      Signature: 'Microsoft Windows',
      SignatureStatus: 'Valid',
    }),
    table: 'DeviceImageLoadEvents',
    columns: {
      ActionType: 'ImageLoaded',
      FileName: 'drvstore.dll',
      FolderPath: 'C:\\Windows\\System32\\drvstore.dll',
      ...hashColumns,
      ...initiating,
    },
  },
  {
    name: '8 remote thread',
    event: sysmon(8, {
      SourceProcessGuid: '{313fa531-ce1c-5f91-a605-000000000400}',
      SourceProcessId: '4380',
      SourceImage: powershell,
      TargetProcessGuid: '{313fa531-d06a-5f91-b305-000000000400}',
      TargetProcessId: '1140',
      TargetImage: 'C:\\Windows\\System32\\notepad.exe',
      NewThreadId: '1728',
      StartAddress: '0x00007FFEA99B61E0',
      StartModule: 'C:\\windows\\System32\\KERNELBASE.dll',
      StartFunction: 'CtrlRoutine',
      SourceUser: 'THESHIRE\\pgustavo',
      TargetUser: 'THESHIRE\\pgustavo',
    }),
    table: 'DeviceEvents',
    columns: {
      ActionType: 'CreateRemoteThreadApiCall',
      FileName: 'notepad.exe',
      ProcessId: 1140,
      ProcessCreationTime: '2020-10-22T18:33:14.000000Z',
      AccountName: 'pgustavo',
      ...initiating,
    },
  },
  {
    name: '10 process access',
    event: sysmon(10, {
      SourceProcessGUID: '{313fa531-ce1c-5f91-a605-000000000400}',
      SourceProcessId: '4380',
      SourceThreadId: '1708',
      SourceImage: powershell,
      TargetProcessGUID: '{313fa531-d06a-5f91-b305-000000000400}',
      TargetProcessId: '656',
      TargetImage: 'C:\\Windows\\system32\\lsass.exe',
      GrantedAccess: '0x1010',
      CallTrace: 'C:\\Windows\\SYSTEM32\\ntdll.dll+9c524|UNKNOWN(00007FFE9A1B2C3D)',
      SourceUser: 'THESHIRE\\pgustavo',
      TargetUser: 'NT AUTHORITY\\SYSTEM',
    }),
    table: 'DeviceEvents',
    columns: {
      ActionType: 'OpenProcessApiCall',
      FileName: 'lsass.exe',
      FolderPath: 'C:\\Windows\\system32\\lsass.exe',
      ProcessId: 656,
      AccountDomain: 'NT AUTHORITY',
      AccountName: 'SYSTEM',
      ...initiating,
    },
  },
  {
    name: '11 file created',
    event: sysmon(11, {
      ...actor,
      TargetFilename: 'C:\\ProgramData\\SAM',
      CreationUtcTime: '2020-10-22 18:33:14.100',
    }),
    table: 'DeviceFileEvents',
    columns: { ActionType: 'FileCreated', FileName: 'SAM', FolderPath: 'C:\\ProgramData\\SAM', ...initiating },
  },
  {
    name: '15 stream created',
    event: sysmon(15, {
      ...actor,
      TargetFilename: 'C:\\Users\\pgustavo\\Downloads\\payload.exe:Zone.Identifier',
      CreationUtcTime: '2020-10-22 18:33:10.000',
      Hash: hashes,
      Contents: '[ZoneTransfer]  ZoneId=3  ReferrerUrl=https://example.org/  HostUrl=https://example.org/payload.exe  ',
    }),
    table: 'DeviceFileEvents',
    columns: {
      ActionType: 'FileCreated',
      FileName: 'payload.exe:Zone.Identifier',
      ...hashColumns,
      FileOriginUrl: 'https://example.org/payload.exe',
      FileOriginReferrerUrl: 'https://example.org/',
    },
  },
  {
    name: '17 pipe created',
    event: sysmon(17, {
      ...actor,
      EventType: 'CreatePipe',
      PipeName: '\\PSHost.133342867816487999.6448.DefaultAppDomain.powershell',
    }),
    table: 'DeviceEvents',
    columns: { ActionType: 'NamedPipeEvent', ...initiating },
  },
  {
    name: '18 pipe connected',
    event: sysmon(18, { ...actor, EventType: 'ConnectPipe', PipeName: '\\wkssvc' }),
    table: 'DeviceEvents',
    columns: { ActionType: 'NamedPipeEvent', InitiatingProcessFileName: 'powershell.exe' },
  },
  {
    name: '22 DNS query',
    event: sysmon(22, { ...actor, QueryName: 'MORDORDC', QueryStatus: '0', QueryResults: '172.18.39.5;' }),
    table: 'DeviceEvents',
    columns: { ActionType: 'DnsQueryResponse', RemoteUrl: 'MORDORDC', ...initiating },
  },
  {
    name: '23 file deleted',
    event: sysmon(23, {
      ...actor,
      TargetFilename: 'C:\\Users\\Administrator\\AppData\\Local\\Temp\\x.ps1',
      Hashes: hashes,
      IsExecutable: 'false',
      Archived: 'true',
    }),
    table: 'DeviceFileEvents',
    columns: { ActionType: 'FileDeleted', FileName: 'x.ps1', ...hashColumns, ...initiating },
  },
  {
    name: '25 process tampering',
    event: sysmon(25, { ...actor, Type: 'Image is replaced' }),
    table: 'DeviceEvents',
    columns: { ActionType: 'ProcessTampering', ...initiating },
  },
  {
    name: '26 file delete logged',
    event: sysmon(26, {
      ...actor,
      TargetFilename: 'C:\\Windows\\ServiceState\\EventLog\\Data\\lastalive0.dat',
      Hashes: hashes,
      IsExecutable: 'false',
    }),
    table: 'DeviceFileEvents',
    columns: { ActionType: 'FileDeleted', FileName: 'lastalive0.dat', ...initiating },
  },
];
