import type { Diagnostic } from '@vigil/base';
import { findTable, type TableSpec } from '@vigil/schema';
import { deviceIdentity } from './device-identity.js';
import { eventTimestamp } from './event-columns.js';
import type { MappedEvent } from './event-mapping.js';
import type { WindowsEvent } from './windows-event.js';
import { findWindowsMapping } from './windows-mappings.js';

/** The table a raw (unmapped) event goes to. */
export const rawEventsTable = 'VigilRawEvents';

/** A Windows event as a row of a hunting table. */
export interface NormalizedWindowsEvent {
  readonly table: string;
  /** Column values; absent values are left out. */
  readonly row: Record<string, unknown>;
  /**
   * The original fields (EventData or UserData by name, plus EventID, Channel and Provider), for tables that have no
   * AdditionalFields column (DeviceRegistryEvents, DeviceImageLoadEvents); elsewhere they are in AdditionalFields.
   */
  readonly original?: Record<string, unknown>;
  /** Set when a mapping failed on this event, which then went to VigilRawEvents instead. */
  readonly problem?: Diagnostic;
}

interface TableInfo {
  readonly spec: TableSpec;
  readonly columns: ReadonlySet<string>;
  readonly hasAdditionalFields: boolean;
}

const tableInfos = new Map<string, TableInfo>();

function tableInfo(table: string): TableInfo {
  let info = tableInfos.get(table);
  if (info === undefined) {
    const spec = findTable(table);
    if (spec === undefined) throw new Error(`@vigil/windows maps to ${table}, which @vigil/schema does not define`);
    const columns = new Set(spec.columns.map((c) => c.name));
    info = { spec, columns, hasAdditionalFields: columns.has('AdditionalFields') };
    tableInfos.set(table, info);
  }
  return info;
}

/** Adds the values of the table's columns to the row, leaving out undefined and null values. */
function project(info: TableInfo, row: Record<string, unknown>, values: Record<string, unknown>): void {
  for (const key in values) {
    const v = values[key];
    if (v !== undefined && v !== null && info.columns.has(key)) row[key] = v;
  }
}

/** Timestamp, DeviceId, DeviceName and ReportId: the columns every row gets. */
function commonColumns(e: WindowsEvent): Record<string, unknown> {
  const device = deviceIdentity(e.computer);
  const row: Record<string, unknown> = {
    Timestamp: eventTimestamp(e),
    DeviceId: device.DeviceId,
    DeviceName: device.DeviceName,
  };
  if (e.recordId !== undefined) row.ReportId = e.recordId;
  return row;
}

/** The System fields under their Windows XML names, for the Fields of a raw event (a hot path: no closures). */
function systemFields(e: WindowsEvent): Record<string, unknown> {
  const f: Record<string, unknown> = {};
  if (e.providerGuid !== undefined) f.ProviderGuid = e.providerGuid;
  if (e.qualifiers !== undefined) f.Qualifiers = e.qualifiers;
  if (e.version !== undefined) f.Version = e.version;
  if (e.level !== undefined) f.Level = e.level;
  if (e.task !== undefined) f.Task = e.task;
  if (e.opcode !== undefined) f.Opcode = e.opcode;
  if (e.keywords !== undefined) f.Keywords = e.keywords;
  f.TimeCreated = e.timeCreated;
  if (e.recordId !== undefined) f.EventRecordID = e.recordId;
  if (e.processId !== undefined) f.ProcessID = e.processId;
  if (e.threadId !== undefined) f.ThreadID = e.threadId;
  f.Computer = e.computer;
  if (e.userId !== undefined) f.UserID = e.userId;
  if (e.activityId !== undefined) f.ActivityID = e.activityId;
  if (e.relatedActivityId !== undefined) f.RelatedActivityID = e.relatedActivityId;
  if (e.message !== undefined) f.Message = e.message;
  return f;
}

/** An unmapped event as a VigilRawEvents row: every data and System field is kept in `Fields`. */
export function toRawEvent(e: WindowsEvent): NormalizedWindowsEvent {
  const fields = systemFields(e);
  Object.assign(fields, e.data);
  fields.EventID = e.eventId;
  fields.Channel = e.channel;
  fields.Provider = e.provider;
  const row = commonColumns(e);
  row.Source = `evtx:${e.channel || e.provider}`;
  row.EventType = String(e.eventId);
  row.Fields = fields;
  return { table: rawEventsTable, row };
}

function originalFields(e: WindowsEvent, mapped: MappedEvent): Record<string, unknown> {
  const original: Record<string, unknown> = Object.assign({}, e.data);
  original.EventID = e.eventId;
  original.Channel = e.channel;
  original.Provider = e.provider;
  const additional = mapped.additional;
  if (additional !== undefined)
    for (const k in additional) {
      const v = additional[k];
      if (v !== undefined && !(k in original)) original[k] = v;
    }
  return original;
}

/**
 * Normalizes a Windows event into a row of the hunting table Defender uses for the same activity, with the columns
 * and ActionType Defender would fill; an event without a mapping becomes a VigilRawEvents row, so nothing is
 * dropped. Rules written against Windows field names keep matching: every original field is kept, in
 * AdditionalFields (JSON text) or, for tables without that column, in `original`.
 */
export function normalizeWindowsEvent(e: WindowsEvent): NormalizedWindowsEvent {
  const mapping = findWindowsMapping(e.channel, e.eventId);
  if (mapping === undefined) return toRawEvent(e);
  try {
    const mapped = mapping.map(e);
    const info = tableInfo(mapping.table);
    const hasAdditional = info.hasAdditionalFields;
    const original = originalFields(e, mapped);
    const row = commonColumns(e);
    project(info, row, mapped.columns);
    if (hasAdditional) row.AdditionalFields = JSON.stringify(original);
    return hasAdditional ? { table: mapping.table, row } : { table: mapping.table, row, original };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    const problem: Diagnostic = {
      code: 'WINDOWS_MAPPING_FAILED',
      message: `${e.channel} event ${e.eventId} could not be mapped to ${mapping.table} (${reason}); kept as a raw event`,
      severity: 'warning',
    };
    return { ...toRawEvent(e), problem };
  }
}
