import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** VigilRawEvents: the documented raw table that keeps every event no Defender table fits. */
export const vigilRawEvents = {
  name: 'VigilRawEvents',
  description:
    'Vigil table for events that no Defender table fits, so that nothing a sensor or importer collects is ever ' +
    'dropped: a Windows event log record with no mapping (for example Security 4799, a security-enabled local ' +
    'group membership was enumerated), a Sysmon event id without a table, an auditd record, a field-less syslog ' +
    "line. Each row names where the event came from (`Source`), the source's own event id or type (`EventType`) " +
    'and keeps every original field, unchanged and with its original name, in the `Fields` JSON object. When a ' +
    'later version maps an event type to a Defender table, new events go there; rows already stored here stay. ' +
    'Query it like any other table, reading fields with `Fields.Name` or `tostring(Fields["Name"])`.',
  group: 'vigil',
  writers: ['sensor'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime', 'Date and time when the event happened, as the source recorded it'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col(
      'Source',
      'string',
      "Where the event came from, as 'kind:name', such as 'evtx:Microsoft-Windows-Sysmon/Operational', " +
        "'evtx:Security' or 'linux:auditd'",
    ),
    col(
      'EventType',
      'string',
      "The source's own event id or type, kept as text, such as '4799' for a Windows event or 'EXECVE' for auditd",
    ),
    col(
      'Fields',
      'dynamic',
      'Every original field of the event as one JSON object, keyed by the field names the source used',
    ),
    col('ReportId', 'long'),
  ],
  examples: [
    {
      title: 'Local group membership enumeration (Windows Security 4799)',
      query: `VigilRawEvents
| where Timestamp > ago(1d)
| where Source == "evtx:Security" and EventType == "4799"
| extend Group = tostring(Fields.TargetUserName), Caller = tostring(Fields.CallerProcessName)
| where Group in~ ("Administrators", "Remote Desktop Users")
| project Timestamp, DeviceName, Group, Caller, Fields`,
    },
    {
      title: 'Which unmapped event types arrive, and from where',
      query: `VigilRawEvents
| where Timestamp > ago(7d)
| summarize Events = count(), Devices = dcount(DeviceId) by Source, EventType
| sort by Events desc`,
    },
  ],
} as const satisfies TableSpec;
