// The shapes the reader yields. Every value is a plain string, number or object, so records can be sent over a
// worker boundary or written as JSON unchanged.

/**
 * One element of the rendered event XML: attributes decoded, text unescaped, adjacent text merged. Treat the tree as
 * read-only: elements without attributes share one frozen empty `attributes` object.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
}

/** A child of an element: a nested element or a run of text. */
export type XmlNode = XmlElement | string;

/** The `<System>` part of an event; a field the event does not carry is `null`. */
export interface EvtxSystem {
  /** `Provider/@Name`. */
  provider: string | null;
  /** `Provider/@Guid`, `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`. */
  providerGuid: string | null;
  /** `Provider/@EventSourceName` (classic event sources). */
  eventSourceName: string | null;
  eventId: number | null;
  /** `EventID/@Qualifiers`. */
  qualifiers: number | null;
  version: number | null;
  level: number | null;
  task: number | null;
  opcode: number | null;
  /** `0x8020000000000000` as Windows prints it. */
  keywords: string | null;
  /** `TimeCreated/@SystemTime`, ISO-8601 UTC with microseconds. */
  timeCreated: string | null;
  eventRecordId: number | null;
  /** `Correlation/@ActivityID`. */
  activityId: string | null;
  /** `Correlation/@RelatedActivityID`. */
  relatedActivityId: string | null;
  /** `Execution/@ProcessID`. */
  processId: number | null;
  /** `Execution/@ThreadID`. */
  threadId: number | null;
  channel: string | null;
  computer: string | null;
  /** `Security/@UserID`, a SID string `S-1-5-18`. */
  userId: string | null;
}

/** A JSON-like value of `userData`: text, or an object keyed by child element names (evtx_dump's layout). */
export type EvtxPlain = string | { [key: string]: EvtxPlain };

/** One event record. */
export interface EvtxRecord {
  kind: 'record';
  /** The record number of the record header (`EventRecordID`). */
  recordId: number;
  /** When the record was written (record header FILETIME), ISO-8601 UTC with microseconds. */
  written: string;
  /** Index of the 64 KiB chunk in the file, 0 for the chunk right after the file header. */
  chunkIndex: number;
  /** Absolute byte offset of the record in the file. */
  offset: number;
  system: EvtxSystem;
  /**
   * `<EventData>` flattened: `<Data Name="x">v</Data>` becomes `x: 'v'`, a `<Data>` without a name is keyed `Data`,
   * any other child element (`<Binary>`) by its element name. A key seen twice (unnamed Data, array substitutions
   * expanded into repeated elements) collects its values into an array in document order; an empty element gives
   * `''`. Unlike evtx_dump's JSON, unnamed Data are neither wrapped in `{"#text": ...}` nor dropped beside named
   * ones, values stay the strings Windows renders (GUIDs in braces, numbers as text) and keep trailing whitespace.
   */
  eventData?: Record<string, string | string[]>;
  /** The first element under `<UserData>`, keyed by its name, in evtx_dump's JSON layout (values are strings). */
  userData?: Record<string, EvtxPlain>;
  /** The whole rendered event. */
  xml: XmlElement;
}

/** A record read with `xml: false`: every field but the rendered tree, which is not built at all. */
export type EvtxFieldsRecord = Omit<EvtxRecord, 'xml'>;

/** A problem found in the file. The reader reports it, skips the broken part and goes on. */
export interface EvtxProblem {
  kind: 'problem';
  /** One of the codes of `evtxProblemCodes`. */
  code: EvtxProblemCode;
  message: string;
  file?: string;
  /** Chunk index, when the problem is inside a chunk. */
  chunk?: number;
  /** Record number, when the problem is inside a record whose header could be read. */
  record?: number;
  /** Absolute byte offset in the file where the problem was found. */
  offset: number;
}

/** What the reader yields: records and problems, in file order. */
export type EvtxItem = EvtxRecord | EvtxProblem;

/** What the reader yields with `xml: false`. */
export type EvtxFieldsItem = EvtxFieldsRecord | EvtxProblem;

/** The stable codes of reader problems, with what each means. */
export const evtxProblemCodes = {
  EVTX_TRUNCATED: 'the input ends inside the file header or inside a chunk',
  EVTX_BAD_HEADER: 'the file header does not start with "ElfFile\\0"',
  EVTX_BAD_HEADER_CRC: 'the CRC32 of the file header does not match',
  EVTX_BAD_CHUNK:
    'a chunk header is unusable: a 64 KiB block that is not all zeros lacks "ElfChnk\\0" (skipped), or its records end offset is out of range (read to the chunk end)',
  EVTX_BAD_CHUNK_CRC: 'the CRC32 of a chunk header does not match; its records are still read',
  EVTX_BAD_DATA_CRC: 'the CRC32 of the records data of a chunk does not match; its records are still read',
  EVTX_BAD_RECORD: 'a record header is broken (magic, size); the reader skips ahead to the next record header',
  EVTX_BINXML: 'the BinXML of a record cannot be decoded; the record is skipped',
} as const satisfies Record<string, string>;

/** A stable problem code. */
export type EvtxProblemCode = keyof typeof evtxProblemCodes;

/** Options of `readEvtx`. */
export interface ReadEvtxOptions {
  /** File name to put on problems. */
  file?: string;
  /**
   * False: records carry System, EventData and UserData but not the rendered tree `xml`, which is then mostly not
   * built at all (faster, for importers that need only the fields). Default true.
   */
  xml?: boolean;
}
