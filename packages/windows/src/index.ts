/** Canonical spelling of known event log channels, and the lookup that restores it (`security` → `Security`). */
export { canonicalChannel, knownChannels } from './canonical-channel.js';
/** DeviceId (SHA-1 of the lower-cased computer name) and DeviceName of the device that logged an event. */
export { type DeviceIdentity, deviceIdentity } from './device-identity.js';
/** The shape of a mapping from a Windows event id to a hunting table, and the channels of each source. */
export { type EventMapping, type MappedEvent, type MappingSource, mappingSourceChannels } from './event-mapping.js';
/** Adapts evtx_dump JSON records (`{"Event": {"System": ..., "EventData": ...}}`) into WindowsEvents. */
export { fromEvtxDumpJson } from './from-evtx-dump-json.js';
/** Adapts EVTX binary reader records (any object of the `EvtxRecordLike` shape) into WindowsEvents. */
export { type EvtxRecordLike, fromEvtxRecord } from './from-evtx-record.js';
/** Adapts OTRF Security-Datasets JSON lines into WindowsEvents, separating collector metadata from event data. */
export {
  fromSecurityDatasetsJson,
  nxlogEventTypes,
  nxlogMetadataKeys,
  securityDatasetsSystemKeys,
} from './from-security-datasets-json.js';
/** Adapts Sysmon for Linux XML event lines into WindowsEvents. */
export { fromSysmonLinuxXml } from './from-sysmon-linux-xml.js';
/** Normalizes date-times to ISO-8601 UTC with microseconds, the form the hunting tables keep. */
export { isoUtc } from './iso-utc.js';
/** Counts normalized events per table and unmapped event types, and renders that as text for the CLI. */
export {
  type CoverageItem,
  formatMappingCoverage,
  type MappingCoverage,
  mappingCoverage,
} from './mapping-coverage.js';
/** Turns a WindowsEvent into a hunting-table row (or a VigilRawEvents row when no mapping fits). */
export {
  type NormalizedWindowsEvent,
  normalizeWindowsEvent,
  rawEventsTable,
  toRawEvent,
} from './normalize-windows-event.js';
/** The mappings of PowerShell/Operational events 4103 and 4104. */
export { powershellMappings } from './powershell-mappings.js';
/** Checks a row against its table's column names and types; empty when valid. */
export { rowTypeProblems } from './row-type-problems.js';
/** Defender's names for logon types and the FailureReason names of failed logons. */
export { logonFailureReasons, logonTypeNames } from './security-columns.js';
/** The mappings of Security log events. */
export { securityMappings } from './security-mappings.js';
/** SHA-1 of a string as lower-case hex, in plain TypeScript. */
export { sha1Hex } from './sha1-hex.js';
/** Yields each top-level JSON object of a file that holds several, with the line and offset of malformed ones. */
export { type JsonPiece, splitConcatenatedJson } from './split-concatenated-json.js';
/** The mappings of Sysmon events (Windows and Linux). */
export { sysmonMappings } from './sysmon-mappings.js';
/** The mappings of System log events. */
export { systemMappings } from './system-mappings.js';
/** The neutral Windows event type that every adapter produces. */
export type { WindowsDataKind, WindowsEvent, WindowsEventResult } from './windows-event.js';
/** Every mapping, and the lookup of the mapping for a channel and event id. */
export { findWindowsMapping, windowsMappings } from './windows-mappings.js';
