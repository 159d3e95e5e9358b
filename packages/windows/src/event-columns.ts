// Column builders shared by the mappings: event time, paths, hashes, accounts and the initiating process.
import { fileNameOf, long, splitAccount, splitHashes, text } from './field-values.js';
import { epochMs, isoUtc } from './iso-utc.js';
import type { WindowsEvent } from './windows-event.js';

type Columns = Record<string, unknown>;

const GUID_TIME = /^\{?[0-9a-f]{8}-([0-9a-f]{4})-([0-9a-f]{4})-/i;
const YEAR_2000 = Date.UTC(2000, 0, 1);
const DAY = 86_400_000;

/** The event time: Sysmon's `UtcTime` field when present and valid, else the record's TimeCreated. */
export function eventTimestamp(e: WindowsEvent): string {
  return isoUtc(e.data.UtcTime) ?? e.timeCreated;
}

/**
 * The start time of a process, from its Sysmon process GUID: Windows Sysmon stores the process start time in
 * seconds in the GUID's second and third groups (`{aaaaaaaa-LLLL-HHHH-...}` → 0xHHHHLLLL). Only Windows Sysmon
 * GUIDs are read, and only a time between 2000 and the event's own day is trusted.
 */
export function processGuidTime(guid: unknown, e: WindowsEvent): string | undefined {
  if (e.channel !== 'Microsoft-Windows-Sysmon/Operational') return undefined;
  const ms = guidStartMs(text(guid) ?? '');
  if (ms === undefined || ms < YEAR_2000 || ms > eventMs(e.timeCreated) + DAY) return undefined;
  if (ms !== lastStart.ms) {
    lastStart.ms = ms;
    lastStart.text = `${new Date(ms).toISOString().slice(0, 19)}.000000Z`;
  }
  return lastStart.text;
}

/** The start time a GUID holds, in ms; the last GUID is kept (a process's events follow one another). */
function guidStartMs(guid: string): number | undefined {
  if (guid !== lastGuid.text) {
    const m = GUID_TIME.exec(guid);
    lastGuid.text = guid;
    lastGuid.ms = m?.[1] === undefined || m[2] === undefined ? undefined : Number.parseInt(m[2] + m[1], 16) * 1000;
  }
  return lastGuid.ms;
}

const lastGuid: { text: string; ms: number | undefined } = { text: '', ms: undefined };
const lastStart = { ms: Number.NaN, text: '' };

/** The last event time read as milliseconds: an event asks for it once per process GUID it holds. */
let lastTime = '';
let lastMs = 0;

function eventMs(timeCreated: string): number {
  if (timeCreated !== lastTime) {
    lastMs = epochMs(timeCreated) ?? 0;
    lastTime = timeCreated;
  }
  return lastMs;
}

/** FileName and FolderPath of a path; Defender's FolderPath is the full path, file name included. */
export function pathColumns(path: unknown, prefix = ''): Columns {
  const full = text(path);
  if (full === undefined) return {};
  return { [`${prefix}FileName`]: fileNameOf(full), [`${prefix}FolderPath`]: full };
}

/** SHA1, SHA256 and MD5 columns (optionally prefixed) from a Sysmon `Hashes` or `Hash` field. */
export function hashColumns(e: WindowsEvent, prefix = ''): Columns {
  const h = splitHashes(e.data.Hashes ?? e.data.Hash);
  return { [`${prefix}SHA1`]: h.SHA1, [`${prefix}SHA256`]: h.SHA256, [`${prefix}MD5`]: h.MD5 };
}

/** AccountDomain and AccountName (optionally prefixed) from a `DOMAIN\name` field. */
export function accountColumns(value: unknown, prefix = ''): Columns {
  const { domain, name } = splitAccount(value);
  return { [`${prefix}AccountDomain`]: domain, [`${prefix}AccountName`]: name };
}

/** The fields that describe the process responsible for a Sysmon event; most events use the defaults. */
export interface InitiatorFields {
  readonly image: string;
  readonly processId: string;
  readonly user: string;
  readonly guid: string;
}

const defaultInitiator: InitiatorFields = { image: 'Image', processId: 'ProcessId', user: 'User', guid: 'ProcessGuid' };

/** The InitiatingProcess* columns from the event's Image, ProcessId, User and ProcessGuid (or the given fields). */
export function initiatingColumns(e: WindowsEvent, fields: InitiatorFields = defaultInitiator): Columns {
  const d = e.data;
  const image = text(d[fields.image]);
  const { domain, name } = splitAccount(d[fields.user]);
  const c: Columns = {
    InitiatingProcessId: long(d[fields.processId]),
    InitiatingProcessAccountDomain: domain,
    InitiatingProcessAccountName: name,
    InitiatingProcessCreationTime: processGuidTime(d[fields.guid], e),
  };
  if (image !== undefined) {
    c.InitiatingProcessFileName = fileNameOf(image);
    c.InitiatingProcessFolderPath = image;
  }
  return c;
}
