/** The operating system family an event came from, when known. */
export type EventPlatform = 'windows' | 'linux' | 'macos';

/**
 * One event as the evaluator consumes it: a normalized hunting-table row, and for tables without an
 * AdditionalFields column (DeviceRegistryEvents, DeviceImageLoadEvents) the original Windows fields.
 */
export interface DetectionEvent {
  readonly table: string;
  readonly row: Readonly<Record<string, unknown>>;
  /** Original source fields by their own names; otherwise read from AdditionalFields or VigilRawEvents.Fields. */
  readonly original?: Readonly<Record<string, unknown>>;
  /** Inferred from the event's channel or paths when absent. */
  readonly platform?: EventPlatform;
}
