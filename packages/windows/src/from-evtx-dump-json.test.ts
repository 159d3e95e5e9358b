import { describe, expect, it } from 'vitest';
import { fromEvtxDumpJson } from './from-evtx-dump-json.js';

const system = {
  Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' } },
  EventID: 7,
  Version: 3,
  Level: 4,
  Task: 7,
  Opcode: 0,
  Keywords: '0x8000000000000000',
  TimeCreated: { '#attributes': { SystemTime: '2025-11-27T07:40:10.165324Z' } },
  EventRecordID: 571146,
  Correlation: null,
  Execution: { '#attributes': { ProcessID: 3544, ThreadID: 4272 } },
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  Computer: 'swachchhanda',
  Security: { '#attributes': { UserID: 'S-1-5-18' } },
};

describe('fromEvtxDumpJson', () => {
  it('reads System and EventData', () => {
    const r = fromEvtxDumpJson({
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: system,
        EventData: { RuleName: '-', ProcessId: 4460, ImageLoaded: 'C:\\Windows\\System32\\dbgcore.dll' },
      },
    });
    expect(r).toEqual({
      ok: true,
      value: {
        provider: 'Microsoft-Windows-Sysmon',
        providerGuid: '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
        eventId: 7,
        version: 3,
        level: 4,
        task: 7,
        opcode: 0,
        keywords: '0x8000000000000000',
        timeCreated: '2025-11-27T07:40:10.165324Z',
        recordId: 571146,
        channel: 'Microsoft-Windows-Sysmon/Operational',
        computer: 'swachchhanda',
        processId: 3544,
        threadId: 4272,
        userId: 'S-1-5-18',
        data: { RuleName: '-', ProcessId: 4460, ImageLoaded: 'C:\\Windows\\System32\\dbgcore.dll' },
        dataKind: 'EventData',
      },
    });
  });

  it('reads qualifiers, correlation and UserData', () => {
    const r = fromEvtxDumpJson({
      Event: {
        System: {
          ...system,
          Provider: { '#attributes': { Name: 'Microsoft-Windows-WMI-Activity' } },
          EventID: { '#text': 5858, '#attributes': { Qualifiers: 16384 } },
          Channel: 'Microsoft-Windows-WMI-Activity/Operational',
          Correlation: { '#attributes': { ActivityID: '8E521E2B-7C26-0001-417F-9C8E267CDB01' } },
          Security: null,
        },
        UserData: {
          Operation_ClientFailure: {
            '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2006/windows/WMI' },
            ClientProcessId: 25920,
            ResultCode: '0x80041003',
          },
        },
      },
    });
    expect(r.ok && r.value).toMatchObject({
      eventId: 5858,
      qualifiers: 16384,
      activityId: '{8E521E2B-7C26-0001-417F-9C8E267CDB01}',
      data: { ClientProcessId: 25920, ResultCode: '0x80041003' },
      dataKind: 'UserData',
    });
    expect(r.ok && 'userId' in r.value).toBe(false);
  });

  it.each([
    ['not an object', 'x', 'WINDOWS_NOT_OBJECT'],
    ['no Event', { Foo: {} }, 'WINDOWS_NOT_EVENT'],
    ['no System', { Event: { EventData: {} } }, 'WINDOWS_NO_SYSTEM'],
    ['no EventID', { Event: { System: { ...system, EventID: 'x' } } }, 'WINDOWS_NO_EVENT_ID'],
    ['no Computer', { Event: { System: { ...system, Computer: '' } } }, 'WINDOWS_NO_COMPUTER'],
    [
      'a bad time',
      { Event: { System: { ...system, TimeCreated: { '#attributes': { SystemTime: 'x' } } } } },
      'WINDOWS_BAD_TIME',
    ],
  ])('reports %s', (_name, input, code) => {
    const r = fromEvtxDumpJson(input);
    expect(r.ok === false && r.error.code).toBe(code);
    expect(r.ok === false && r.error.message).toMatch(/evtx_dump JSON/);
  });
});
