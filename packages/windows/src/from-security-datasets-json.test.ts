import { describe, expect, it } from 'vitest';
import { fromSecurityDatasetsJson } from './from-security-datasets-json.js';

// Lines as in the corpus (Message shortened): the NXLog → Logstash style of the 2019–2020 sets ...
const nxlogRegistry = {
  '@timestamp': '2020-10-22T18:32:47.795Z',
  ProcessId: '4380',
  OpcodeValue: 0,
  AccountName: 'SYSTEM',
  port: 58121,
  AccountType: 'User',
  Severity: 'INFO',
  TargetObject: 'HKU\\S-1-5-21-2323213074-4052461197-1785501644-1104\\Software\\Microsoft\\Windows',
  EventTime: '2020-10-22 14:32:45',
  SourceName: 'Microsoft-Windows-Sysmon',
  ProviderGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  Image: 'C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  EventReceivedTime: '2020-10-22 14:32:47',
  ExecutionProcessID: 3296,
  UtcTime: '2020-10-22 18:32:45.281',
  EventID: 12,
  Category: 'Registry object added or deleted (rule: RegistryEvent)',
  tags: ['mordorDataset'],
  SeverityValue: 2,
  Keywords: -(2 ** 63), // NXLog writes -9223372036854775808, which JSON.parse reads as this double
  EventType: 'CreateKey',
  Version: 2,
  SourceModuleName: 'eventlog',
  SourceModuleType: 'im_msvistalog',
  Domain: 'NT AUTHORITY',
  host: 'wec.internal.cloudapp.net',
  EventTypeOrignal: 'INFO',
  RecordNumber: 519026,
  ThreadID: 820,
  Task: 12,
  Hostname: 'WORKSTATION5.theshire.local',
  RuleName: '-',
  '@version': '1',
  UserID: 'S-1-5-18',
  ProcessGuid: '{313fa531-ce1c-5f91-a605-000000000400}',
  Opcode: 'Info',
  Message: 'Registry object added or deleted:\r\nRuleName: -',
};

// ... and the newer style, with the System fields first and string EventData.
const newService = {
  SourceName: 'Service Control Manager',
  ProviderGuid: '{555908d1-a6d7-4695-8e1e-26931d2012f4}',
  Level: '4',
  Keywords: '0x8080000000000000',
  Channel: 'system',
  Hostname: 'WORKSTATION5',
  TimeCreated: '2021-06-11T09:07:41.212Z',
  '@timestamp': '2021-06-11T09:07:41.212Z',
  EventID: 7045,
  Task: '0',
  ServiceName: 'tbbd05',
  ImagePath: '%COMSPEC% echo /c b6a1458f396 > \\\\.\\pipe\\334485',
  ServiceType: 'user mode service',
  StartType: 'demand start',
  AccountName: 'LocalSystem',
};

describe('fromSecurityDatasetsJson', () => {
  it('separates NXLog metadata from event data', () => {
    const r = fromSecurityDatasetsJson(nxlogRegistry);
    expect(r.ok && r.value).toEqual({
      provider: 'Microsoft-Windows-Sysmon',
      providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
      eventId: 12,
      version: 2,
      task: 12,
      opcode: 0,
      keywords: '0x8000000000000000',
      timeCreated: '2020-10-22T18:32:45.000000Z',
      recordId: 519026,
      channel: 'Microsoft-Windows-Sysmon/Operational',
      computer: 'WORKSTATION5.theshire.local',
      processId: 3296,
      threadId: 820,
      userId: 'S-1-5-18',
      message: 'Registry object added or deleted:\r\nRuleName: -',
      data: {
        ProcessId: '4380',
        TargetObject: 'HKU\\S-1-5-21-2323213074-4052461197-1785501644-1104\\Software\\Microsoft\\Windows',
        Image: 'C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
        UtcTime: '2020-10-22 18:32:45.281',
        EventType: 'CreateKey',
        RuleName: '-',
        ProcessGuid: '{313fa531-ce1c-5f91-a605-000000000400}',
      },
      dataKind: 'EventData',
    });
  });

  it('reads keyword masks that NXLog wrote as signed 64-bit decimals', () => {
    const line = JSON.parse(`{"Keywords": -9214364837600034816, "EventID": 4624, "Channel": "Security"}`);
    const r = fromSecurityDatasetsJson({ ...nxlogRegistry, ...line });
    expect(r.ok && r.value.keywords).toBe('0x8020000000000000');
  });

  it("treats NXLog's EventType as metadata only when it is an NXLog severity class", () => {
    const r = fromSecurityDatasetsJson({ ...nxlogRegistry, EventID: 10, EventType: 'INFO' });
    expect(r.ok && 'EventType' in r.value.data).toBe(false);
  });

  it('reads a numeric ProcessID as the execution process when ExecutionProcessID is absent', () => {
    const { ExecutionProcessID: _omit, ...rest } = nxlogRegistry;
    const r = fromSecurityDatasetsJson({ ...rest, ProcessID: 3128, type: 'nxlog-mordor' });
    expect(r.ok && r.value.processId).toBe(3128);
    expect(r.ok && Object.keys(r.value.data)).not.toContain('ProcessID');
    const wfp = fromSecurityDatasetsJson({ ...newService, Channel: 'Security', EventID: 5156, ProcessID: '4' });
    expect(wfp.ok && wfp.value.data.ProcessID).toBe('4');
  });

  it('keeps AccountName as data in the newer style and normalizes the channel case', () => {
    const r = fromSecurityDatasetsJson(newService);
    expect(r.ok && r.value).toMatchObject({
      channel: 'System',
      level: 4,
      task: 0,
      keywords: '0x8080000000000000',
      providerGuid: '{555908D1-A6D7-4695-8E1E-26931D2012F4}',
      timeCreated: '2021-06-11T09:07:41.212000Z',
      data: { ServiceName: 'tbbd05', AccountName: 'LocalSystem', StartType: 'demand start' },
    });
    expect(r.ok && 'version' in r.value).toBe(false);
  });

  it('ignores a null UserData and takes a zone-less TimeCreated as UTC', () => {
    const r = fromSecurityDatasetsJson({
      SourceName: 'Microsoft-Windows-PowerShell',
      Channel: 'Microsoft-Windows-PowerShell/Operational',
      Hostname: 'DC01.pandalab.com',
      TimeCreated: '2020-10-19 12:28:23.942',
      EventID: 4103,
      UserData: null,
      Payload: 'CommandInvocation(Get-Date): "Get-Date"',
    });
    expect(r.ok && r.value.timeCreated).toBe('2020-10-19T12:28:23.942000Z');
    expect(r.ok && r.value.data).toEqual({ Payload: 'CommandInvocation(Get-Date): "Get-Date"' });
  });

  it.each([
    ['no EventID', { Channel: 'Security', Hostname: 'h', '@timestamp': '2020-01-01T00:00:00Z' }, 'EventID'],
    ['no Channel', { EventID: 4624, Hostname: 'h', '@timestamp': '2020-01-01T00:00:00Z' }, 'Channel'],
    ['neither', { message: 'heartbeat', '@timestamp': '2020-01-01T00:00:00Z' }, 'EventID and Channel'],
  ])('reports an entry with %s as junk', (_name, input, missing) => {
    const r = fromSecurityDatasetsJson(input);
    expect(r.ok === false && r.error).toMatchObject({ code: 'WINDOWS_JUNK_ENTRY', severity: 'warning' });
    expect(r.ok === false && r.error.message).toContain(`without ${missing}`);
  });

  it.each([
    ['a non-object', [1, 2], 'WINDOWS_NOT_OBJECT'],
    [
      'no Hostname',
      { Channel: 'Security', EventID: 4624, '@timestamp': '2020-01-01T00:00:00Z' },
      'WINDOWS_NO_COMPUTER',
    ],
    ['no time', { Channel: 'Security', EventID: 4624, Hostname: 'h' }, 'WINDOWS_BAD_TIME'],
  ])('reports %s as an error', (_name, input, code) => {
    const r = fromSecurityDatasetsJson(input);
    expect(r.ok === false && r.error).toMatchObject({ code, severity: 'error' });
  });
});
