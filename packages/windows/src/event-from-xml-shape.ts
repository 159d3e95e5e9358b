import { err, ok } from '@vigil/base';
import { adapterProblem } from './adapter-problem.js';
import { canonicalChannel } from './canonical-channel.js';
import { unwrap } from './field-values.js';
import { isoUtc } from './iso-utc.js';
import { optional } from './optional.js';
import {
  attributesOf,
  eventDataFields,
  flattenUserData,
  isRecord,
  keywordsText,
  registryGuid,
  smallNumber,
  systemText,
} from './system-values.js';
import type { WindowsDataKind, WindowsEvent, WindowsEventResult } from './windows-event.js';

function eventIdOf(value: unknown): { eventId?: number; qualifiers?: number } {
  const eventId = smallNumber(value);
  const qualifiers = smallNumber(attributesOf(value).Qualifiers);
  return { ...(eventId === undefined ? {} : { eventId }), ...(qualifiers === undefined ? {} : { qualifiers }) };
}

function dataOf(event: Record<string, unknown>): { data: Record<string, unknown>; dataKind: WindowsDataKind } {
  if (isRecord(event.EventData)) return { data: eventDataFields(event.EventData), dataKind: 'EventData' };
  if (isRecord(event.UserData)) return { data: flattenUserData(event.UserData), dataKind: 'UserData' };
  return { data: {}, dataKind: 'none' };
}

/**
 * Reads an `Event` element in the JSON shape that evtx_dump and fast-xml-parser share: elements are keys, attributes
 * sit under `#attributes`, element text under `#text` when the element also has attributes. `format` names the input
 * format in messages.
 */
export function eventFromXmlShape(event: unknown, format: string): WindowsEventResult {
  if (!isRecord(event)) return err(adapterProblem('WINDOWS_NOT_EVENT', `${format}: the Event element is missing`));
  const system = event.System;
  if (!isRecord(system)) {
    return err(adapterProblem('WINDOWS_NO_SYSTEM', `${format}: the event has no System element`));
  }
  const { eventId, qualifiers } = eventIdOf(system.EventID);
  if (eventId === undefined) {
    return err(adapterProblem('WINDOWS_NO_EVENT_ID', `${format}: System/EventID is missing or not a number`));
  }
  // ETW events written to a file carry no channel; they are kept (in the raw table), never dropped.
  const channel = systemText(system.Channel) ?? '';
  const computer = systemText(system.Computer);
  if (computer === undefined) {
    return err(adapterProblem('WINDOWS_NO_COMPUTER', `${format}: System/Computer is missing`));
  }
  const rawTime = attributesOf(system.TimeCreated).SystemTime;
  const timeCreated = isoUtc(unwrap(rawTime));
  if (timeCreated === undefined) {
    return err(
      adapterProblem(
        'WINDOWS_BAD_TIME',
        `${format}: System/TimeCreated/@SystemTime ${JSON.stringify(rawTime ?? null)} is not an ISO-8601 time`,
      ),
    );
  }
  const provider = attributesOf(system.Provider);
  const execution = attributesOf(system.Execution);
  const correlation = attributesOf(system.Correlation);
  const security = attributesOf(system.Security);
  const result: WindowsEvent = {
    provider: systemText(provider.Name) ?? systemText(provider.EventSourceName) ?? '',
    ...optional('providerGuid', registryGuid(provider.Guid)),
    eventId,
    ...optional('qualifiers', qualifiers),
    ...optional('version', smallNumber(system.Version)),
    ...optional('level', smallNumber(system.Level)),
    ...optional('task', smallNumber(system.Task)),
    ...optional('opcode', smallNumber(system.Opcode)),
    ...optional('keywords', keywordsText(system.Keywords)),
    timeCreated,
    ...optional('recordId', smallNumber(system.EventRecordID)),
    channel: canonicalChannel(channel),
    computer,
    ...optional('processId', smallNumber(execution.ProcessID)),
    ...optional('threadId', smallNumber(execution.ThreadID)),
    ...optional('userId', systemText(security.UserID ?? security.UserId)),
    ...optional('activityId', registryGuid(correlation.ActivityID)),
    ...optional('relatedActivityId', registryGuid(correlation.RelatedActivityID)),
    ...dataOf(event),
  };
  return ok(result);
}
