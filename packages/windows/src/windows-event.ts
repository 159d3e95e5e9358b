import type { Diagnostic, Result } from '@vigil/base';

/** Where the event-specific fields of a Windows event came from. */
export type WindowsDataKind = 'EventData' | 'UserData' | 'none';

/**
 * One Windows event log record, independent of how it was exported (EVTX, evtx_dump JSON, NXLog JSON lines,
 * Sysmon for Linux XML). System fields keep their Windows meaning; `data` holds the event's own fields by name.
 */
export interface WindowsEvent {
  /** Provider (publisher) name, such as `Microsoft-Windows-Sysmon`. */
  readonly provider: string;
  /** Provider GUID in the registry form `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`, upper case. */
  readonly providerGuid?: string;
  readonly eventId: number;
  /** The high 16 bits of a classic event id (`<EventID Qualifiers="...">`). */
  readonly qualifiers?: number;
  readonly version?: number;
  readonly level?: number;
  readonly task?: number;
  readonly opcode?: number;
  /** Keyword mask as `0x` and 16 lower-case hex digits (`0x8020000000000000`); other text is kept as written. */
  readonly keywords?: string;
  /** When the event was written, ISO-8601 UTC with microseconds: `2019-04-27T15:57:25.868864Z`. */
  readonly timeCreated: string;
  /** EventRecordID: the record's number in its log file. */
  readonly recordId?: number;
  /** Channel (log) name in its canonical case, such as `Security` or `Microsoft-Windows-Sysmon/Operational`. */
  readonly channel: string;
  /** The Computer field: the name of the machine that logged the event, usually its FQDN. */
  readonly computer: string;
  /** Execution ProcessID: the process that wrote the event (the Sysmon service for Sysmon events). */
  readonly processId?: number;
  readonly threadId?: number;
  /** Security UserID: the SID (or, on Linux, the uid) the provider recorded. */
  readonly userId?: string;
  readonly activityId?: string;
  readonly relatedActivityId?: string;
  /** The rendered message text, when the export carried one (NXLog `Message`). */
  readonly message?: string;
  /** EventData fields by their Data Name, or the fields of the UserData element, flattened one level. */
  readonly data: Record<string, unknown>;
  readonly dataKind: WindowsDataKind;
}

/** The outcome of adapting one exported record: the event, or a diagnostic that says what is wrong with it. */
export type WindowsEventResult = Result<WindowsEvent, Diagnostic>;
