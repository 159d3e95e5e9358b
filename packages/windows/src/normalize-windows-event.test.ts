import { describe, expect, it } from 'vitest';
import { normalizeWindowsEvent } from './normalize-windows-event.js';
import { rowTypeProblems } from './row-type-problems.js';
import type { WindowsEvent } from './windows-event.js';

const wmiFailure: WindowsEvent = {
  provider: 'Microsoft-Windows-WMI-Activity',
  providerGuid: '{1418EF04-B0B4-4623-BF7E-D74AB47BBDAA}',
  eventId: 5858,
  version: 0,
  level: 2,
  task: 0,
  opcode: 0,
  keywords: '0x4000000000000000',
  timeCreated: '2025-12-03T07:42:38.210937Z',
  recordId: 26765,
  channel: 'Microsoft-Windows-WMI-Activity/Operational',
  computer: 'swachchhanda',
  processId: 3116,
  threadId: 1656,
  userId: 'S-1-5-18',
  activityId: '{8E521E2B-7C26-0001-417F-9C8E267CDB01}',
  data: { ClientMachine: 'SWACHCHHANDA', ClientProcessId: 25920, ResultCode: '0x80041003', Version: 'theirs' },
  dataKind: 'UserData',
};

describe('normalizeWindowsEvent', () => {
  it('keeps an unmapped event in VigilRawEvents with every data and System field', () => {
    const out = normalizeWindowsEvent(wmiFailure);
    expect(out).toEqual({
      table: 'VigilRawEvents',
      row: {
        Timestamp: '2025-12-03T07:42:38.210937Z',
        DeviceId: expect.stringMatching(/^[0-9a-f]{40}$/),
        DeviceName: 'swachchhanda',
        Source: 'evtx:Microsoft-Windows-WMI-Activity/Operational',
        EventType: '5858',
        Fields: {
          ProviderGuid: '{1418EF04-B0B4-4623-BF7E-D74AB47BBDAA}',
          Version: 'theirs',
          Level: 2,
          Task: 0,
          Opcode: 0,
          Keywords: '0x4000000000000000',
          TimeCreated: '2025-12-03T07:42:38.210937Z',
          EventRecordID: 26765,
          ProcessID: 3116,
          ThreadID: 1656,
          Computer: 'swachchhanda',
          UserID: 'S-1-5-18',
          ActivityID: '{8E521E2B-7C26-0001-417F-9C8E267CDB01}',
          ClientMachine: 'SWACHCHHANDA',
          ClientProcessId: 25920,
          ResultCode: '0x80041003',
          EventID: 5858,
          Channel: 'Microsoft-Windows-WMI-Activity/Operational',
          Provider: 'Microsoft-Windows-WMI-Activity',
        },
        ReportId: 26765,
      },
    });
    expect(rowTypeProblems(out.table, out.row)).toEqual([]);
  });

  it('matches channels in any case', () => {
    const out = normalizeWindowsEvent({ ...wmiFailure, channel: 'security', eventId: 1102, data: {} });
    expect(out.row.ActionType).toBe('SecurityLogCleared');
  });

  it('lets EventID, Channel and Provider win over data fields of the same name', () => {
    const out = normalizeWindowsEvent({
      ...wmiFailure,
      channel: 'Security',
      eventId: 1102,
      data: { EventID: 'x', Channel: 'y', Other: 1 },
    });
    expect(JSON.parse(String(out.row.AdditionalFields))).toEqual({
      EventID: 1102,
      Channel: 'Security',
      Provider: 'Microsoft-Windows-WMI-Activity',
      Other: 1,
    });
  });

  it('returns the originals separately for tables without AdditionalFields', () => {
    const out = normalizeWindowsEvent({
      ...wmiFailure,
      provider: 'Microsoft-Windows-Sysmon',
      channel: 'Microsoft-Windows-Sysmon/Operational',
      eventId: 13,
      data: { EventType: 'SetValue', TargetObject: 'HKLM\\SOFTWARE\\x\\y', Details: 'Binary Data' },
    });
    expect(out.table).toBe('DeviceRegistryEvents');
    expect(out.row.AdditionalFields).toBeUndefined();
    expect(out.row).toMatchObject({ RegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\x', RegistryValueType: 'Binary' });
    expect(out.original).toEqual({
      EventType: 'SetValue',
      TargetObject: 'HKLM\\SOFTWARE\\x\\y',
      Details: 'Binary Data',
      EventID: 13,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Provider: 'Microsoft-Windows-Sysmon',
    });
  });

  it('uses TimeCreated when UtcTime is missing or invalid, and omits an unknown ReportId', () => {
    const { recordId: _omit, ...noRecord } = wmiFailure;
    const out = normalizeWindowsEvent({ ...noRecord, data: { UtcTime: 'garbage' } });
    expect(out.row.Timestamp).toBe('2025-12-03T07:42:38.210937Z');
    expect('ReportId' in out.row).toBe(false);
  });
});
