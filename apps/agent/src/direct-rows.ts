import { isStoredDatetime } from '@vigil/protocol';
import { baseName, type ProcessInfo, processUniqueId } from '@vigil/sensors';
import { type BatchRuns, commitRun, writeNamedJson, writeNamedString, writeRunJson } from './json-row.js';

/**
 * Rows the agent writes straight into the spool's block, without a row object or the generic writers' pass over its
 * keys: the two kinds it writes by the thousand, a file's (its columns made by vigil-collector) and a process start's.
 * Each is what the generic path (emit: ShapeWriters, else the validator and writeJsonRow) writes for the same row,
 * byte for byte (telemetry.test.ts); a row with a value that path would not take unchanged is left to it.
 */

/** The InitiatingProcess* run of a row (its JSON, see runJsonOfValues) and the rest the agent adds to every row. */
export interface Completion {
  timestamp: string;
  run: Buffer;
  runId: unknown;
  additionalFields: string;
  reportId: number;
}

/** A DeviceFileEvents row made by vigil-collector: its file columns as JSON members (ActionType to RequestProtocol). */
export interface FileRowParts extends Completion {
  members: Buffer;
}

/** A process that stands for none (the initial value of a ProcessRowParts that is filled before each write). */
export const NO_PROCESS: ProcessInfo = {
  pid: 0,
  ppid: 0,
  startTicks: 0,
  creationTime: '',
  path: '',
  commandLine: '',
  uid: 0,
  accountName: '',
};

/** A ProcessCreated row (processCreatedRow's) of `proc`. */
export interface ProcessRowParts extends Completion {
  proc: ProcessInfo;
}

const key = (name: string) => Buffer.from(`,${JSON.stringify(name)}:`);
const FILE_ROW_START = Buffer.from('{"Table":"DeviceFileEvents"');
const PROCESS_ROW_START = Buffer.from('{"Table":"DeviceProcessEvents"');
const TIMESTAMP = key('Timestamp');
const ACTION_CREATED = Buffer.from(',"ActionType":"ProcessCreated"');
const FILE_NAME = key('FileName');
const FOLDER_PATH = key('FolderPath');
const SHA1 = key('SHA1');
const SHA256 = key('SHA256');
const MD5 = key('MD5');
const FILE_SIZE = key('FileSize');
const PROCESS_ID = key('ProcessId');
const COMMAND_LINE = key('ProcessCommandLine');
const CREATION_TIME = key('ProcessCreationTime');
const ACCOUNT_NAME = key('AccountName');
const UNIQUE_ID = key('ProcessUniqueId');
const ADDITIONAL_FIELDS = key('AdditionalFields');
const REPORT_ID = key('ReportId');

/** A row's start and Timestamp; -1 when they do not fit. */
function start(prefix: Buffer, timestamp: string, out: Buffer, at: number, end: number): number {
  if (at + prefix.length > end) return -1;
  return writeNamedString(TIMESTAMP, timestamp, out, at + prefix.copy(out, at), end);
}

/** A row's run, AdditionalFields, ReportId and closing brace from `at` (-1 passes through); -1 when they do not fit. */
function finish(r: Completion, out: Buffer, at: number, end: number, batch: BatchRuns): number {
  if (at < 0) return -1;
  at = writeRunJson(r.run, r.runId, false, batch, out, at, end);
  if (at < 0) return -1;
  at = writeNamedString(ADDITIONAL_FIELDS, r.additionalFields, out, at, end);
  if (at < 0) return -1;
  at = writeNamedJson(REPORT_ID, String(r.reportId), out, at, end);
  if (at < 0 || at + 1 > end) return -1;
  out[at++] = 0x7d; // }
  commitRun(batch, false);
  return at;
}

/** Writes a FileRowParts row into `out` from `begin`; returns its end, or -1 when it does not fit. */
export function writeFileRow(row: object, out: Buffer, begin: number, batch: BatchRuns): number {
  const r = row as FileRowParts;
  const end = out.length - 1;
  let at = start(FILE_ROW_START, r.timestamp, out, begin, end);
  if (at < 0 || at + 1 + r.members.length > end) return -1;
  out[at++] = 0x2c; // ,
  at += r.members.copy(out, at);
  return finish(r, out, at, end, batch);
}

/** An optional string column: left out when undefined or empty, as processCreatedRow leaves it. */
function optional(name: Buffer, v: string | undefined, out: Buffer, at: number, end: number): number {
  return at < 0 || v === undefined || v === '' ? at : writeNamedString(name, v, out, at, end);
}

/** Writes a ProcessRowParts row into `out` from `begin`; returns its end, or -1 when it does not fit. */
export function writeProcessRow(row: object, out: Buffer, begin: number, batch: BatchRuns): number {
  const r = row as ProcessRowParts;
  const p = r.proc;
  const end = out.length - 1;
  let at = start(PROCESS_ROW_START, r.timestamp, out, begin, end);
  if (at < 0 || at + ACTION_CREATED.length > end) return -1;
  at += ACTION_CREATED.copy(out, at);
  at = optional(FILE_NAME, baseName(p.path), out, at, end);
  at = optional(FOLDER_PATH, p.path, out, at, end);
  at = optional(SHA1, p.sha1, out, at, end);
  at = optional(SHA256, p.sha256, out, at, end);
  at = optional(MD5, p.md5, out, at, end);
  if (at >= 0 && p.fileSize !== undefined) at = writeNamedJson(FILE_SIZE, String(p.fileSize), out, at, end);
  if (at >= 0) at = writeNamedJson(PROCESS_ID, String(p.pid), out, at, end);
  at = optional(COMMAND_LINE, p.commandLine, out, at, end);
  at = optional(CREATION_TIME, p.creationTime, out, at, end);
  at = optional(ACCOUNT_NAME, p.accountName, out, at, end);
  if (at >= 0) at = writeNamedString(UNIQUE_ID, processUniqueId(p), out, at, end);
  return finish(r, out, at, end, batch);
}

/** A leaf process's own columns: vigil-collector's JSON members (FileName to ProcessCommandLine) and the agent's. */
export interface LeafColumns {
  uid: number;
  members: Buffer;
  creationTime: string;
  accountName: string;
  uniqueId: string;
}

/** A ProcessCreated row of a leaf process whose columns vigil-collector made (see LeafProcess). */
export interface LeafRowParts extends Completion {
  leaf: LeafColumns;
}

/** Writes a LeafRowParts row (writeProcessRow's bytes for the same process) into `out` from `begin`; -1: no room. */
export function writeLeafRow(row: object, out: Buffer, begin: number, batch: BatchRuns): number {
  const r = row as LeafRowParts;
  const l = r.leaf;
  const end = out.length - 1;
  let at = start(PROCESS_ROW_START, r.timestamp, out, begin, end);
  if (at < 0 || at + ACTION_CREATED.length + 1 + l.members.length > end) return -1;
  at += ACTION_CREATED.copy(out, at);
  out[at++] = 0x2c; // ,
  at += l.members.copy(out, at);
  at = optional(CREATION_TIME, l.creationTime, out, at, end);
  at = optional(ACCOUNT_NAME, l.accountName, out, at, end);
  if (at >= 0) at = writeNamedString(UNIQUE_ID, l.uniqueId, out, at, end);
  return finish(r, out, at, end, batch);
}

/** The agent's own columns of a ProcessCreated row (and its completion) hold values the generic path takes unchanged. */
function ownColumnsFit(
  timestamp: string,
  creationTime: string | undefined,
  accountName: string,
  additionalFields: string,
  maxFieldBytes: number,
): boolean {
  return (
    isStoredDatetime(timestamp) &&
    accountName.length <= Math.floor(maxFieldBytes / 3) && // 3 bytes of UTF-8 at most
    (creationTime === undefined || creationTime === '' || isStoredDatetime(creationTime)) &&
    additionalFields.length <= Math.floor(maxFieldBytes / 6) // dynamic: as JSON text, \u00XX
  );
}

/**
 * True when the ProcessCreated row of `p` holds values the generic path takes unchanged (the column types of
 * DeviceProcessEvents: strings within the field limit, long integers, a stored datetime).
 */
export function processRowFits(
  p: ProcessInfo,
  timestamp: string,
  additionalFields: string,
  maxFieldBytes: number,
): boolean {
  const chars = Math.floor(maxFieldBytes / 3); // 3 bytes of UTF-8 at most
  return (
    ownColumnsFit(timestamp, p.creationTime, p.accountName, additionalFields, maxFieldBytes) &&
    p.path.length <= chars &&
    p.commandLine.length <= chars &&
    Number.isSafeInteger(p.pid) &&
    (p.fileSize === undefined || Number.isSafeInteger(p.fileSize))
  );
}

/**
 * True when a leaf's row holds values the generic path takes unchanged: the collector's columns always do (strings
 * of a 64 KiB record, 32-bit pids, sizes of at most 1 MiB), the agent's are checked.
 */
export function leafRowFits(
  l: LeafColumns,
  timestamp: string,
  additionalFields: string,
  maxFieldBytes: number,
): boolean {
  return ownColumnsFit(timestamp, l.creationTime, l.accountName, additionalFields, maxFieldBytes);
}
