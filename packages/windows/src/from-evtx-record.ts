import { err, ok } from '@vigil/base';
import { adapterProblem } from './adapter-problem.js';
import { canonicalChannel } from './canonical-channel.js';
import { isoUtc } from './iso-utc.js';
import {
  eventDataFields,
  flattenUserData,
  isRecord,
  keywordsText,
  registryGuid,
  smallNumber,
  systemText,
} from './system-values.js';
import type { WindowsDataKind, WindowsEvent, WindowsEventResult } from './windows-event.js';

/**
 * The record shape of the EVTX binary reader (`@vigil/evtx`), declared here structurally so that the two packages
 * stay independent: any object of this shape can be adapted.
 */
export interface EvtxRecordLike {
  readonly recordId: number;
  /** When the record was written (the record header's timestamp), ISO-8601. */
  readonly written: string;
  /** System fields; the reader writes `null` for a field the event does not carry. */
  readonly system: {
    readonly provider: string | null;
    readonly providerGuid?: string | null;
    readonly eventSourceName?: string | null;
    readonly eventId: number | null;
    readonly qualifiers?: number | null;
    readonly version?: number | null;
    readonly level?: number | null;
    readonly task?: number | null;
    readonly opcode?: number | null;
    readonly keywords?: string | number | bigint | null;
    readonly timeCreated: string | null;
    readonly eventRecordId?: number | string | bigint | null;
    readonly activityId?: string | null;
    readonly relatedActivityId?: string | null;
    readonly processId?: number | null;
    readonly threadId?: number | null;
    readonly channel: string | null;
    readonly computer: string | null;
    readonly userId?: string | null;
  };
  /** EventData by Data Name; an unnamed Data is keyed `Data`, repeated keys give arrays. */
  readonly eventData?: Readonly<Record<string, string | readonly string[] | null>>;
  /** The element under UserData keyed by its name, in evtx_dump's layout (`{LogFileCleared: {...}}`). */
  readonly userData?: object;
}

function dataOf(rec: EvtxRecordLike): { data: Record<string, unknown>; dataKind: WindowsDataKind } {
  if (isRecord(rec.eventData)) return { data: eventDataFields(rec.eventData), dataKind: 'EventData' };
  if (isRecord(rec.userData)) return { data: flattenUserData(rec.userData), dataKind: 'UserData' };
  return { data: {}, dataKind: 'none' };
}

/** Adapts one record of the EVTX binary reader into a WindowsEvent. */
export function fromEvtxRecord(rec: EvtxRecordLike): WindowsEventResult {
  const system: Partial<EvtxRecordLike['system']> = isRecord(rec?.system) ? rec.system : {};
  const eventId = smallNumber(system.eventId);
  if (eventId === undefined) return err(adapterProblem('WINDOWS_NO_EVENT_ID', 'EVTX record: the event id is missing'));
  // ETW events written to a file carry no channel; they are kept (in the raw table), never dropped.
  const channel = systemText(system.channel) ?? '';
  const computer = systemText(system.computer);
  if (computer === undefined) return err(adapterProblem('WINDOWS_NO_COMPUTER', 'EVTX record: the computer is missing'));
  const timeCreated = isoUtc(system.timeCreated) ?? isoUtc(rec.written);
  if (timeCreated === undefined) {
    return err(adapterProblem('WINDOWS_BAD_TIME', 'EVTX record: neither TimeCreated nor the written time is valid'));
  }
  const keywords = typeof system.keywords === 'bigint' ? system.keywords.toString() : system.keywords;
  const recordId = typeof system.eventRecordId === 'bigint' ? system.eventRecordId.toString() : system.eventRecordId;
  const { data, dataKind } = dataOf(rec);
  // Built by assignment, not by spreading optional parts: this runs once per record of every import.
  const e: Record<string, unknown> = {
    provider: systemText(system.provider) ?? systemText(system.eventSourceName) ?? '',
    eventId,
    timeCreated,
    channel: canonicalChannel(channel),
    computer,
    data,
    dataKind,
  };
  // Named stores, one per optional field: this runs once per record.
  const providerGuid = registryGuid(system.providerGuid);
  if (providerGuid !== undefined) e.providerGuid = providerGuid;
  const qualifiers = smallNumber(system.qualifiers);
  if (qualifiers !== undefined) e.qualifiers = qualifiers;
  const version = smallNumber(system.version);
  if (version !== undefined) e.version = version;
  const level = smallNumber(system.level);
  if (level !== undefined) e.level = level;
  const task = smallNumber(system.task);
  if (task !== undefined) e.task = task;
  const opcode = smallNumber(system.opcode);
  if (opcode !== undefined) e.opcode = opcode;
  const keywordText = keywordsText(keywords);
  if (keywordText !== undefined) e.keywords = keywordText;
  const record = smallNumber(recordId) ?? smallNumber(rec.recordId);
  if (record !== undefined) e.recordId = record;
  const processId = smallNumber(system.processId);
  if (processId !== undefined) e.processId = processId;
  const threadId = smallNumber(system.threadId);
  if (threadId !== undefined) e.threadId = threadId;
  const userId = systemText(system.userId);
  if (userId !== undefined) e.userId = userId;
  const activityId = registryGuid(system.activityId);
  if (activityId !== undefined) e.activityId = activityId;
  const relatedActivityId = registryGuid(system.relatedActivityId);
  if (relatedActivityId !== undefined) e.relatedActivityId = relatedActivityId;
  return ok(e as unknown as WindowsEvent);
}
