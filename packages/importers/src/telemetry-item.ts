import type { Diagnostic } from '@vigil/base';

/** One thing read from a telemetry file: a hunting row, or a problem with its place in the file. */
export type TelemetryItem =
  | {
      readonly kind: 'row';
      readonly table: string;
      readonly row: Record<string, unknown>;
      /** `file:record` or `file:line`, for messages. */
      readonly source: string;
      /** For Windows events: the channel and event id, for the mapping-coverage report. */
      readonly channel?: string;
      readonly eventId?: number;
      /** The event's original fields, for tables without an AdditionalFields column (Sigma rules read them). */
      readonly original?: Record<string, unknown>;
    }
  | { readonly kind: 'problem'; readonly diagnostic: Diagnostic };

/** The formats a file can hold. */
export type TelemetryFormat = 'evtx' | 'evtx-json' | 'rows' | 'security-datasets' | 'sysmon-linux-xml' | 'zip';
