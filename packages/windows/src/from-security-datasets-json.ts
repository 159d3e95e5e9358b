import { err, ok } from '@vigil/base';
import { adapterProblem } from './adapter-problem.js';
import { canonicalChannel } from './canonical-channel.js';
import { isoUtc, localToUtc } from './iso-utc.js';
import { optional } from './optional.js';
import { flattenUserData, isRecord, keywordsText, registryGuid, smallNumber, systemText } from './system-values.js';
import type { WindowsDataKind, WindowsEventResult } from './windows-event.js';

/**
 * Keys of the OTRF Security-Datasets JSON lines that hold System fields or the rendered message, in both pipeline
 * styles; they become WindowsEvent fields, never event data.
 */
export const securityDatasetsSystemKeys = [
  'Channel',
  'EventID',
  'Hostname',
  'SourceName',
  'ProviderGuid',
  'RecordNumber',
  'ExecutionProcessID',
  'ThreadID',
  'UserID',
  'ActivityID',
  'RelatedActivityID',
  'Level',
  'Task',
  'Keywords',
  'TimeCreated',
  'EventTime',
  '@timestamp',
  'Message',
] as const satisfies readonly string[];

/**
 * Keys that NXLog (im_msvistalog) and Logstash add in the 2019–2020 sets, recognized by `EventReceivedTime` or
 * `SourceModuleType`. They are transport metadata (`host`, `port`, `tags`), names of System values (`Category` is the
 * task name, `Opcode` the opcode name) or NXLog's lookup of the UserID SID (`AccountName`, `Domain`, `AccountType`).
 * In the newer sets these names are event data (System 7045 has an `AccountName` Data field), so they are only
 * metadata in NXLog records. Two more are decided by value: `EventType` is NXLog's severity class only when it is
 * one of `nxlogEventTypes` (Sysmon registry events have their own `EventType` such as `SetValue`), and a numeric
 * `ProcessID` is the execution process id in records that have no `ExecutionProcessID`.
 */
export const nxlogMetadataKeys = [
  'EventReceivedTime',
  'SourceModuleName',
  'SourceModuleType',
  'Severity',
  'SeverityValue',
  'host',
  'port',
  'tags',
  '@version',
  'type',
  'Version',
  'OpcodeValue',
  'Opcode',
  'Category',
  'EventTypeOrignal',
  'AccountName',
  'AccountType',
  'Domain',
  'ERROR_EVT_UNRESOLVED',
] as const satisfies readonly string[];

/** The values of NXLog's own `EventType` field. */
export const nxlogEventTypes = [
  'CRITICAL',
  'ERROR',
  'WARNING',
  'INFO',
  'VERBOSE',
  'AUDIT_SUCCESS',
  'AUDIT_FAILURE',
] as const satisfies readonly string[];

const systemKeys: ReadonlySet<string> = new Set(securityDatasetsSystemKeys);
const nxlogKeys: ReadonlySet<string> = new Set(nxlogMetadataKeys);
const nxlogTypes: ReadonlySet<string> = new Set(nxlogEventTypes);

function isNxlog(obj: Record<string, unknown>): boolean {
  return 'EventReceivedTime' in obj || 'SourceModuleType' in obj;
}

function isMetadata(key: string, value: unknown, obj: Record<string, unknown>, nxlog: boolean): boolean {
  if (systemKeys.has(key)) return true;
  if (!nxlog) return false;
  if (nxlogKeys.has(key)) return true;
  if (key === 'EventType') return typeof value === 'string' && nxlogTypes.has(value);
  if (key === 'ProcessID') return typeof value === 'number' && !('ExecutionProcessID' in obj);
  return false;
}

/**
 * When the event was written: `TimeCreated` (newer sets); else NXLog's local `EventTime`, converted to UTC with the
 * offset between the local `EventReceivedTime` and Logstash's UTC `@timestamp`; else `@timestamp`.
 */
function timeOf(obj: Record<string, unknown>): string | undefined {
  const created = isoUtc(obj.TimeCreated);
  if (created !== undefined) return created;
  const { EventTime: local, EventReceivedTime: received, '@timestamp': stamp } = obj;
  if (typeof local === 'string' && typeof received === 'string' && typeof stamp === 'string') {
    const utc = localToUtc(local, received, stamp);
    if (utc !== undefined) return utc;
  }
  return isoUtc(stamp) ?? isoUtc(local);
}

function dataOf(
  obj: Record<string, unknown>,
  nxlog: boolean,
): { data: Record<string, unknown>; dataKind: WindowsDataKind } {
  const data: Record<string, unknown> = {};
  let dataKind: WindowsDataKind = 'EventData';
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'UserData') {
      if (isRecord(value)) {
        Object.assign(data, flattenUserData(value));
        dataKind = 'UserData';
      }
      continue;
    }
    if (!isMetadata(key, value, obj, nxlog)) data[key] = value;
  }
  return { data, dataKind };
}

/**
 * Adapts one line of the OTRF Security-Datasets (Mordor) host logs: a flat JSON object mixing System fields,
 * collector metadata and the event's own fields (see `securityDatasetsSystemKeys` and `nxlogMetadataKeys`). Records
 * with no EventID or no Channel are not Windows events (collector heartbeats and the like): they come back as a
 * `WINDOWS_JUNK_ENTRY` warning, for the caller to count and skip.
 */
export function fromSecurityDatasetsJson(obj: unknown): WindowsEventResult {
  if (!isRecord(obj)) {
    return err(adapterProblem('WINDOWS_NOT_OBJECT', 'Security-Datasets JSON: the line is not a JSON object'));
  }
  const eventId = smallNumber(obj.EventID);
  const channel = systemText(obj.Channel);
  if (eventId === undefined || channel === undefined) {
    const missing = [eventId === undefined ? 'EventID' : '', channel === undefined ? 'Channel' : ''].filter(Boolean);
    return err(
      adapterProblem('WINDOWS_JUNK_ENTRY', `Security-Datasets JSON: junk entry without ${missing.join(' and ')}`, {
        severity: 'warning',
        hint: 'entries that are not Windows events are skipped',
      }),
    );
  }
  const computer = systemText(obj.Hostname);
  if (computer === undefined) {
    return err(adapterProblem('WINDOWS_NO_COMPUTER', 'Security-Datasets JSON: the Hostname key is missing'));
  }
  const timeCreated = timeOf(obj);
  if (timeCreated === undefined) {
    return err(
      adapterProblem('WINDOWS_BAD_TIME', 'Security-Datasets JSON: no valid TimeCreated, EventTime or @timestamp'),
    );
  }
  const nxlog = isNxlog(obj);
  const nxlogPid = nxlog && typeof obj.ProcessID === 'number' ? smallNumber(obj.ProcessID) : undefined;
  const executionPid = smallNumber(obj.ExecutionProcessID) ?? nxlogPid;
  return ok({
    provider: systemText(obj.SourceName) ?? '',
    ...optional('providerGuid', registryGuid(obj.ProviderGuid)),
    eventId,
    ...optional('version', nxlog ? smallNumber(obj.Version) : undefined),
    ...optional('level', smallNumber(obj.Level)),
    ...optional('task', smallNumber(obj.Task)),
    ...optional('opcode', nxlog ? smallNumber(obj.OpcodeValue) : undefined),
    ...optional('keywords', keywordsText(obj.Keywords)),
    timeCreated,
    ...optional('recordId', smallNumber(obj.RecordNumber)),
    channel: canonicalChannel(channel),
    computer,
    ...optional('processId', executionPid),
    ...optional('threadId', smallNumber(obj.ThreadID)),
    ...optional('userId', systemText(obj.UserID)),
    ...optional('activityId', registryGuid(obj.ActivityID)),
    ...optional('relatedActivityId', registryGuid(obj.RelatedActivityID)),
    ...optional('message', typeof obj.Message === 'string' ? obj.Message : undefined),
    ...dataOf(obj, nxlog),
  });
}
