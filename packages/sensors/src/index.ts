/** ProcessTree and ProcessInfo: the agent's view of processes, for the Initiating* lineage. */

/** Execve events assembled from kernel audit records. */
export { type AuditExec, AuditExecAssembler, auditFields, auditValue } from './audit-exec.js';
/** Parsers of sshd, login, su and sudo messages from the journal or /var/log/auth.log. */
export { parseAuthLogLine, parseAuthMessage, parseJournalEntry } from './auth-log.js';
/** Kernel start times to wall-clock time, and /proc parsers for them. */
export { BootClock, PF_EXITING, PF_KTHREAD, parseBootTime, parseProcStat } from './boot-clock.js';
/** Control lines of bpftrace -f json and the fast reader of its printf lines. */
export { type BpfControl, bpfPrintfData, parseJsonLine } from './bpf-json.js';
/** The bpftrace program of the eBPF process sensor and the parser of its JSON output. */
export {
  type BpfProcessEvent,
  bpftraceProcessProgram,
  decodeBpfBuffer,
  type ExecArgs,
  type FileIdentity,
  type LeafProcess,
  PROCESS_LINE_TAGS,
  parseBpftraceLine,
  splitArgs,
} from './bpftrace-events.js';
/** The binary records of vigil-collector, the compiled eBPF collector. */
export {
  COLLECTOR_FILE_COUNTERS,
  type CollectorFileCounters,
  type CollectorFileRow,
  CollectorReader,
  type CollectorSink,
  type CollectorWriter,
  captureHasLooks,
  captureRounds,
  encodeCollectorRecord,
  MAX_COLLECTOR_RECORD,
} from './collector-records.js';
/** DeviceInfo, DeviceNetworkInfo and DeviceTvmSoftwareInventory rows and the parsers they need. */
export {
  type AdapterFacts,
  type DeviceFacts,
  deviceInfoRow,
  networkInfoRow,
  osArchitecture,
  parseDpkgQuery,
  parseOsRelease,
  parseProcNetRoute,
  parseResolvConf,
  parseRpmQuery,
  type SoftwarePackage,
  softwareInventoryRows,
} from './device-rows.js';
/** The bpftrace program of the file sensor (kernel-side prefix filter and write coalescing) and its parser. */
export {
  bpftraceFileProgram,
  FILE_LINE_TAGS,
  type FileEvent,
  type FileLine,
  FileLinePairer,
  type FileLook,
  FMODE_CREATED,
  fileEvent,
  isWriteOpen,
  type LookedFile,
  parseFileLine,
  prefixWords,
  watchPrefixes,
} from './file-events.js';
/** Addresses as text, the way Defender shows them. */
export { ipText } from './ip-text.js';
/** Sign-ins and their DeviceLogonEvents rows. */
export { type LogonEvent, logonRow, remoteIpType } from './logon-event.js';
/** The bpftrace program of the network sensor, its parser, /proc/net parsing, and network and file rows. */
export {
  bpftraceNetworkProgram,
  type EventNotes,
  fileEventRow,
  ipType,
  NETWORK_LINE_TAGS,
  type NetEvent,
  networkEventRow,
  type ProcNetSocket,
  parseNetworkLine,
  parseProcNet,
  plainIp,
} from './net-file-events.js';
/** DeviceProcessEvents rows and the InitiatingProcess* columns. */
export {
  additionalFields,
  baseName,
  INITIATING_COLUMN_NAMES,
  INITIATING_COMMAND_LINE_MAX,
  type InitiatingColumns,
  initiatingColumns,
  type ProcessEventNotes,
  processAdditionalFields,
  processCreatedRow,
  processUniqueId,
  type SensorRow,
} from './process-row.js';
export {
  type ImageHashes,
  type ProcessInfo,
  ProcessTree,
  type ProcessTreeOptions,
  processInfo,
} from './process-tree.js';
/** Names of spooled batch files and the rows of an open spool segment. */
export { type BatchName, batchFileName, makeBatchId, parseBatchFileName, segmentRows } from './spool-format.js';
/** utmp, wtmp and btmp records. */
export {
  encodeUtmp,
  loggedOnUsers,
  parseUtmp,
  UTMP_RECORD_SIZE,
  type UtmpRecord,
  utmpLogon,
  utmpTypes,
} from './utmp.js';
