import type { Diagnostic } from '@vigil/base';
import { findTable, type TableSpec } from '@vigil/schema';
import { deviceIdentity } from './device-identity.js';
import { eventTimestamp } from './event-columns.js';
import type { MappedEvent } from './event-mapping.js';
import { optional } from './optional.js';
import type { WindowsEvent } from './windows-event.js';
import { findWindowsMapping } from './windows-mappings.js';

/** The table a raw (unmapped) event goes to. */
export const rawEventsTable = 'VigilRawEvents';

/** A Windows event as a row of a hunting table. */
export interface NormalizedWindowsEvent {
  readonly table: string;
  /** Column values, in the table's column order; absent values are left out. */
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
  readonly hasAdditionalFields: boolean;
}

const tableInfos = new Map<string, TableInfo>();

function tableInfo(table: string): TableInfo {
  let info = tableInfos.get(table);
  if (info === undefined) {
    const spec = findTable(table);
    if (spec === undefined) throw new Error(`@vigil/windows maps to ${table}, which @vigil/schema does not define`);
    info = { spec, hasAdditionalFields: spec.columns.some((c) => c.name === 'AdditionalFields') };
    tableInfos.set(table, info);
  }
  return info;
}

/** Keeps the table's columns, in its order, leaving out undefined and null values. */
function project(spec: TableSpec, values: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const column of spec.columns) {
    const v = values[column.name];
    if (v !== undefined && v !== null) row[column.name] = v;
  }
  return row;
}

function commonColumns(e: WindowsEvent): Record<string, unknown> {
  return { Timestamp: eventTimestamp(e), ...deviceIdentity(e.computer), ReportId: e.recordId };
}

/** The System fields under their Windows XML names, for the Fields of a raw event. */
function systemFields(e: WindowsEvent): Record<string, unknown> {
  return {
    ...optional('ProviderGuid', e.providerGuid),
    ...optional('Qualifiers', e.qualifiers),
    ...optional('Version', e.version),
    ...optional('Level', e.level),
    ...optional('Task', e.task),
    ...optional('Opcode', e.opcode),
    ...optional('Keywords', e.keywords),
    TimeCreated: e.timeCreated,
    ...optional('EventRecordID', e.recordId),
    ...optional('ProcessID', e.processId),
    ...optional('ThreadID', e.threadId),
    Computer: e.computer,
    ...optional('UserID', e.userId),
    ...optional('ActivityID', e.activityId),
    ...optional('RelatedActivityID', e.relatedActivityId),
    ...optional('Message', e.message),
  };
}

/** An unmapped event as a VigilRawEvents row: every data and System field is kept in `Fields`. */
export function toRawEvent(e: WindowsEvent): NormalizedWindowsEvent {
  const fields = { ...systemFields(e), ...e.data, EventID: e.eventId, Channel: e.channel, Provider: e.provider };
  const values = {
    ...commonColumns(e),
    Source: `evtx:${e.channel || e.provider}`,
    EventType: String(e.eventId),
    Fields: fields,
  };
  return { table: rawEventsTable, row: project(tableInfo(rawEventsTable).spec, values) };
}

function originalFields(e: WindowsEvent, mapped: MappedEvent): Record<string, unknown> {
  const original: Record<string, unknown> = { ...e.data, EventID: e.eventId, Channel: e.channel, Provider: e.provider };
  for (const [k, v] of Object.entries(mapped.additional ?? {})) {
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
    const { spec, hasAdditionalFields: hasAdditional } = tableInfo(mapping.table);
    const original = originalFields(e, mapped);
    const values = {
      ...commonColumns(e),
      ...mapped.columns,
      ...(hasAdditional ? { AdditionalFields: JSON.stringify(original) } : {}),
    };
    const row = project(spec, values);
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
