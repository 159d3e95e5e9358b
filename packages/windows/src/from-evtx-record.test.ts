import { describe, expect, it } from 'vitest';
import { type EvtxRecordLike, fromEvtxRecord } from './from-evtx-record.js';

// A record as the EVTX reader yields it: absent System fields are null, extra keys are ignored.
const record = {
  kind: 'record',
  recordId: 34382,
  written: '2026-07-17T14:18:34.072213Z',
  chunkIndex: 0,
  offset: 4096,
  system: {
    provider: null,
    providerGuid: null,
    eventSourceName: 'Microsoft-Windows-Eventlog',
    eventId: 1102,
    qualifiers: null,
    version: 1,
    level: 4,
    task: 104,
    opcode: 0,
    keywords: '0x4020000000000000',
    timeCreated: '2026-07-17T14:18:34.072213Z',
    eventRecordId: 34382,
    activityId: null,
    relatedActivityId: null,
    processId: 1364,
    threadId: 5448,
    channel: 'security',
    computer: 'DC01.pandalab.com',
    userId: null,
  },
  userData: {
    LogFileCleared: {
      '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
      SubjectUserSid: 'S-1-5-21-1-2-3-500',
      SubjectUserName: 'Administrator',
      SubjectDomainName: 'PANDALAB',
      SubjectLogonId: '0x4dc7c',
    },
  },
  xml: { name: 'Event', attributes: {}, children: [] },
};

describe('fromEvtxRecord', () => {
  it('reads a record of the EVTX reader, flattening UserData', () => {
    const r = fromEvtxRecord(record satisfies EvtxRecordLike);
    expect(r.ok && r.value).toEqual({
      provider: 'Microsoft-Windows-Eventlog',
      eventId: 1102,
      version: 1,
      level: 4,
      task: 104,
      opcode: 0,
      keywords: '0x4020000000000000',
      timeCreated: '2026-07-17T14:18:34.072213Z',
      recordId: 34382,
      channel: 'Security',
      computer: 'DC01.pandalab.com',
      processId: 1364,
      threadId: 5448,
      data: {
        SubjectUserSid: 'S-1-5-21-1-2-3-500',
        SubjectUserName: 'Administrator',
        SubjectDomainName: 'PANDALAB',
        SubjectLogonId: '0x4dc7c',
      },
      dataKind: 'UserData',
    });
  });

  it('reads EventData and falls back to the written time', () => {
    const r = fromEvtxRecord({
      ...record,
      system: { ...record.system, provider: 'Microsoft-Windows-Sysmon', eventId: 1, timeCreated: null },
      eventData: { Image: 'C:\\Windows\\System32\\cmd.exe', Data: ['a', 'b'] },
    });
    expect(r.ok && r.value).toMatchObject({
      provider: 'Microsoft-Windows-Sysmon',
      timeCreated: '2026-07-17T14:18:34.072213Z',
      data: { Image: 'C:\\Windows\\System32\\cmd.exe', Data: ['a', 'b'] },
      dataKind: 'EventData',
    });
  });

  it.each([
    ['no event id', { eventId: null }, 'WINDOWS_NO_EVENT_ID'],
    ['no computer', { computer: '' }, 'WINDOWS_NO_COMPUTER'],
  ])('reports %s', (_name, patch, code) => {
    const r = fromEvtxRecord({ ...record, system: { ...record.system, ...patch } });
    expect(r.ok === false && r.error.code).toBe(code);
  });

  it('keeps an ETW record without a channel, which then goes to the raw table', () => {
    const r = fromEvtxRecord({ ...record, system: { ...record.system, channel: null } });
    expect(r.ok && r.value.channel).toBe('');
  });

  it('reports a record without any valid time', () => {
    const r = fromEvtxRecord({ ...record, written: 'x', system: { ...record.system, timeCreated: null } });
    expect(r.ok === false && r.error.code).toBe('WINDOWS_BAD_TIME');
  });
});
