import type { ProcessInfo } from './process-tree.js';

/** A row of a hunting table, shaped as the ingest API takes it: `{"Table": ..., columns}`. */
export type SensorRow = { readonly Table: string } & Record<string, unknown>;

/** The file name of a path. */
export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

/** A stable id of one process on this boot: unlike the pid, it is not reused. */
export function processUniqueId(p: Pick<ProcessInfo, 'pid' | 'startTicks'>): string {
  return `${p.pid}-${p.startTicks}`;
}

/** A value as a row column: an empty string is no value (the column is left out). */
function nz<T>(value: T | undefined): T | undefined {
  return value === '' ? undefined : value;
}

/**
 * Longest InitiatingProcessCommandLine kept on an event row. The initiator's own ProcessCreated row has the whole
 * command line (join on InitiatingProcessUniqueId = ProcessUniqueId); repeating, say, a 150 KB `rm` argument
 * list on each of its 5,000 FileDeleted rows would cost more than the events themselves.
 */
export const INITIATING_COMMAND_LINE_MAX = 4096;

/** The InitiatingProcess* columns of an event row (undefined: no value; JSON and the row validator leave it out). */
export interface InitiatingColumns {
  readonly InitiatingProcessAccountName: string | undefined;
  readonly InitiatingProcessSHA1: string | undefined;
  readonly InitiatingProcessSHA256: string | undefined;
  readonly InitiatingProcessMD5: string | undefined;
  readonly InitiatingProcessFileName: string | undefined;
  readonly InitiatingProcessFileSize: number | undefined;
  readonly InitiatingProcessId: number | undefined;
  readonly InitiatingProcessCommandLine: string | undefined;
  readonly InitiatingProcessCreationTime: string | undefined;
  readonly InitiatingProcessFolderPath: string | undefined;
  readonly InitiatingProcessParentId: number | undefined;
  readonly InitiatingProcessParentFileName: string | undefined;
  readonly InitiatingProcessParentCreationTime: string | undefined;
  readonly InitiatingProcessUniqueId: string | undefined;
}

/** The columns of an event whose process is unknown. */
const NO_INITIATOR: InitiatingColumns = columnsOf(undefined, undefined);

/** The InitiatingProcess* column names, in the order initiatingColumns() gives them (rows spread them so). */
export const INITIATING_COLUMN_NAMES = Object.keys(NO_INITIATOR) as readonly (keyof InitiatingColumns)[];

/**
 * The columns last built for each process (with the grandparent they were built for). ProcessInfo objects are
 * never changed (processInfo makes a new one), so the columns of one stay right: a process that writes or deletes
 * thousands of files, or a shell that starts thousands of commands, has its columns (and their strings, such as a
 * long command line cut to INITIATING_COMMAND_LINE_MAX) built once, not once per row.
 */
const columnsByProcess = new WeakMap<
  ProcessInfo,
  { grandparent: ProcessInfo | undefined; columns: InitiatingColumns }
>();

/**
 * The InitiatingProcess* columns from the process responsible for an event and its parent. Always the same keys,
 * in the same order, so that the rows spreading them have one shape. The object is shared between rows: do not
 * change it.
 */
export function initiatingColumns(
  initiator: ProcessInfo | undefined,
  grandparent: ProcessInfo | undefined,
): InitiatingColumns {
  if (!initiator) return NO_INITIATOR;
  const known = columnsByProcess.get(initiator);
  if (known && known.grandparent === grandparent) return known.columns;
  const columns = columnsOf(initiator, grandparent);
  columnsByProcess.set(initiator, { grandparent, columns });
  return columns;
}

function columnsOf(initiator: ProcessInfo | undefined, grandparent: ProcessInfo | undefined): InitiatingColumns {
  return {
    InitiatingProcessAccountName: nz(initiator?.accountName),
    InitiatingProcessSHA1: nz(initiator?.sha1),
    InitiatingProcessSHA256: nz(initiator?.sha256),
    InitiatingProcessMD5: nz(initiator?.md5),
    InitiatingProcessFileName: initiator ? nz(baseName(initiator.path)) : undefined,
    InitiatingProcessFileSize: initiator?.fileSize,
    InitiatingProcessId: initiator?.pid,
    InitiatingProcessCommandLine: initiator
      ? nz(initiator.commandLine.slice(0, INITIATING_COMMAND_LINE_MAX))
      : undefined,
    InitiatingProcessCreationTime: nz(initiator?.creationTime),
    InitiatingProcessFolderPath: nz(initiator?.path),
    InitiatingProcessParentId: initiator?.ppid,
    InitiatingProcessParentFileName: initiator && grandparent ? nz(baseName(grandparent.path)) : undefined,
    InitiatingProcessParentCreationTime: initiator && grandparent ? nz(grandparent.creationTime) : undefined,
    InitiatingProcessUniqueId: initiator ? processUniqueId(initiator) : undefined,
  };
}

/** The JSON of notes objects, by object (see additionalFields). */
const notesJson = new WeakMap<object, string>();
/**
 * The last AdditionalFields with an initiatingCommandLineLength made for a notes object: an `rm` given thousands of
 * paths deletes them all, and each of its rows had its notes copied and turned into JSON again (1.6-1.9 µs a row).
 */
const longNotesJson = new WeakMap<object, { readonly length: number; readonly json: string }>();

/**
 * The AdditionalFields of an event row: its notes as JSON, with the whole length of InitiatingProcessCommandLine
 * when that was cut (`initiatingCommandLineLength`). The JSON of a notes object is kept with it: a sensor keeps one
 * notes object per kind of observation (never changed once passed here), so that thousands of rows share one string.
 */
export function additionalFields(notes: object, initiator: ProcessInfo | undefined): string {
  const n = initiator?.commandLine.length ?? 0;
  if (n > INITIATING_COMMAND_LINE_MAX) {
    const last = longNotesJson.get(notes);
    if (last !== undefined && last.length === n) return last.json;
    const long = JSON.stringify({ ...notes, initiatingCommandLineLength: n });
    longNotesJson.set(notes, { length: n, json: long });
    return long;
  }
  let json = notesJson.get(notes);
  if (json === undefined) {
    json = JSON.stringify(notes);
    notesJson.set(notes, json);
  }
  return json;
}

/** Notes with a process's Uid, by notes object and uid: kept, so that additionalFields keeps their JSON too. */
const notesByUid = new WeakMap<object, Map<number, object>>();

function notesWithUid(notes: object, uid: number): object {
  let byUid = notesByUid.get(notes);
  if (byUid === undefined) {
    byUid = new Map();
    notesByUid.set(notes, byUid);
  }
  let withUid = byUid.get(uid);
  if (withUid === undefined) {
    if (byUid.size >= 1024) byUid.clear();
    withUid = { ...notes, Uid: uid };
    byUid.set(uid, withUid);
  }
  return withUid;
}

/** What else a process-created row records about how it was observed. */
export interface ProcessEventNotes {
  /** The sensor that saw it: ebpf, audit or proc. */
  readonly source: string;
  /** Whether the command line came from the kernel event because the process was gone before /proc was read. */
  readonly commandLineFrom?: 'proc' | 'event';
  readonly [key: string]: unknown;
}

/** A DeviceProcessEvents row (ActionType ProcessCreated) for a new process. */
export function processCreatedRow(
  timestamp: string,
  proc: ProcessInfo,
  parent: ProcessInfo | undefined,
  grandparent: ProcessInfo | undefined,
  notes: ProcessEventNotes,
): SensorRow {
  return {
    Table: 'DeviceProcessEvents',
    Timestamp: timestamp,
    ActionType: 'ProcessCreated',
    FileName: nz(baseName(proc.path)),
    FolderPath: nz(proc.path),
    SHA1: nz(proc.sha1),
    SHA256: nz(proc.sha256),
    MD5: nz(proc.md5),
    FileSize: proc.fileSize,
    ProcessId: proc.pid,
    ProcessCommandLine: nz(proc.commandLine),
    ProcessCreationTime: nz(proc.creationTime),
    AccountName: nz(proc.accountName),
    ProcessUniqueId: processUniqueId(proc),
    ...initiatingColumns(parent, grandparent),
    AdditionalFields: processAdditionalFields(proc, parent, notes),
  };
}

/** The AdditionalFields of a process's ProcessCreated row (the notes, its Uid, its parent's command line length). */
export function processAdditionalFields(
  proc: Pick<ProcessInfo, 'uid'>,
  parent: ProcessInfo | undefined,
  notes: ProcessEventNotes,
): string {
  return additionalFields(notesWithUid(notes, proc.uid), parent);
}
