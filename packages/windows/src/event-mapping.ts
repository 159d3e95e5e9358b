import type { TableName } from '@vigil/schema';
import type { WindowsEvent } from './windows-event.js';

/** The event sources that have mappings, each a set of channels. */
export type MappingSource = 'sysmon' | 'security' | 'system' | 'powershell';

/** The channels of each mapping source; Sysmon for Linux uses the same event ids and field names as Sysmon. */
export const mappingSourceChannels = {
  sysmon: ['Microsoft-Windows-Sysmon/Operational', 'Linux-Sysmon/Operational'],
  security: ['Security'],
  system: ['System'],
  powershell: ['Microsoft-Windows-PowerShell/Operational'],
} as const satisfies Readonly<Record<MappingSource, readonly string[]>>;

/** What a mapping makes of one event: column values, and Defender-named extras for AdditionalFields. */
export interface MappedEvent {
  /** Columns of the target table, ActionType included; undefined values are left out of the row. */
  readonly columns: Readonly<Record<string, unknown>>;
  /**
   * Extra AdditionalFields keys under the names Defender uses (`Command` of PowerShellCommand, `DesiredAccess` of
   * OpenProcessApiCall); an original field of the same name wins.
   */
  readonly additional?: Readonly<Record<string, unknown>>;
}

/** How one Windows event id becomes a row of a hunting table. */
export interface EventMapping {
  readonly source: MappingSource;
  readonly eventId: number;
  /** What the event is, as its provider names it. */
  readonly title: string;
  readonly table: Exclude<TableName, 'VigilRawEvents'>;
  /** The ActionType values this mapping produces, the usual one first. */
  readonly actionTypes: readonly string[];
  /** Why this table and ActionType, when the choice is ours rather than Defender's. */
  readonly note?: string;
  readonly map: (event: WindowsEvent) => MappedEvent;
}
