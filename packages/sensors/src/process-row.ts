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

function set(row: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined && value !== '') row[key] = value;
}

/**
 * Longest InitiatingProcessCommandLine kept on an event row. The initiator's own ProcessCreated row has the whole
 * command line (join on InitiatingProcessUniqueId = ProcessUniqueId); repeating, say, a 150 KB `rm` argument
 * list on each of its 5,000 FileDeleted rows would cost more than the events themselves.
 */
export const INITIATING_COMMAND_LINE_MAX = 4096;

/** The InitiatingProcess* columns from the process responsible for an event and its parent. */
export function initiatingColumns(
  initiator: ProcessInfo | undefined,
  grandparent: ProcessInfo | undefined,
): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  if (!initiator) return row;
  set(row, 'InitiatingProcessAccountName', initiator.accountName);
  set(row, 'InitiatingProcessSHA1', initiator.sha1);
  set(row, 'InitiatingProcessSHA256', initiator.sha256);
  set(row, 'InitiatingProcessMD5', initiator.md5);
  set(row, 'InitiatingProcessFileName', baseName(initiator.path));
  set(row, 'InitiatingProcessFileSize', initiator.fileSize);
  row.InitiatingProcessId = initiator.pid;
  set(row, 'InitiatingProcessCommandLine', initiator.commandLine.slice(0, INITIATING_COMMAND_LINE_MAX));
  set(row, 'InitiatingProcessCreationTime', initiator.creationTime);
  set(row, 'InitiatingProcessFolderPath', initiator.path);
  row.InitiatingProcessParentId = initiator.ppid;
  if (grandparent) {
    set(row, 'InitiatingProcessParentFileName', baseName(grandparent.path));
    set(row, 'InitiatingProcessParentCreationTime', grandparent.creationTime);
  }
  row.InitiatingProcessUniqueId = processUniqueId(initiator);
  return row;
}

/** Says in AdditionalFields that InitiatingProcessCommandLine was cut (and how long it was). */
export function truncationNote(initiator: ProcessInfo | undefined): { initiatingCommandLineLength?: number } {
  const n = initiator?.commandLine.length ?? 0;
  return n > INITIATING_COMMAND_LINE_MAX ? { initiatingCommandLineLength: n } : {};
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
  const row: Record<string, unknown> = {
    Table: 'DeviceProcessEvents',
    Timestamp: timestamp,
    ActionType: 'ProcessCreated',
  };
  set(row, 'FileName', baseName(proc.path));
  set(row, 'FolderPath', proc.path);
  set(row, 'SHA1', proc.sha1);
  set(row, 'SHA256', proc.sha256);
  set(row, 'MD5', proc.md5);
  set(row, 'FileSize', proc.fileSize);
  row.ProcessId = proc.pid;
  set(row, 'ProcessCommandLine', proc.commandLine);
  set(row, 'ProcessCreationTime', proc.creationTime);
  set(row, 'AccountName', proc.accountName);
  row.ProcessUniqueId = processUniqueId(proc);
  Object.assign(row, initiatingColumns(parent, grandparent));
  row.AdditionalFields = JSON.stringify({ ...notes, Uid: proc.uid, ...truncationNote(parent) });
  return row as SensorRow;
}
