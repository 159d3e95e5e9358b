import type { DetectionEvent, EventPlatform } from './detection-event.js';
import { fieldTransforms } from './field-transforms.js';

const empty: ReadonlyMap<string, unknown> = new Map();

function parseObject(v: unknown): Record<string, unknown> | undefined {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>;
  if (typeof v !== 'string' || !v.startsWith('{')) return undefined;
  try {
    const o: unknown = JSON.parse(v);
    return typeof o === 'object' && o !== null && !Array.isArray(o) ? (o as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function lowerKeys(o: Readonly<Record<string, unknown>> | undefined): ReadonlyMap<string, unknown> {
  if (o === undefined) return empty;
  const m = new Map<string, unknown>();
  for (const [k, v] of Object.entries(o)) {
    const key = k.toLowerCase();
    if (!m.has(key)) m.set(key, v);
  }
  return m;
}

function eachText(v: unknown, fn: (text: string) => void, depth: number, json: boolean): void {
  if (v === undefined || v === null) return;
  if (typeof v === 'string') fn(v);
  else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') fn(String(v));
  else if (typeof v === 'object') {
    // A regex reads an object value as its JSON text (keys and all): the prefilter scans that too.
    if (json && !Array.isArray(v)) fn(JSON.stringify(v));
    if (depth < 3) for (const x of Array.isArray(v) ? v : Object.values(v)) eachText(x, fn, depth + 1, json);
  }
}

const transforms = Object.values(fieldTransforms);

/**
 * A per-event view with everything the evaluator derives from an event computed lazily and at most once:
 * the original fields (AdditionalFields parsed once), case-insensitive lookups, the source, and the text
 * the literal prefilter scans.
 */
export class EventView {
  private originalMap: ReadonlyMap<string, unknown> | undefined;
  private rowMap: ReadonlyMap<string, unknown> | undefined;
  private values: readonly string[] | undefined;
  /** Resolved field values by accessor key, shared by every rule evaluated on this event. */
  readonly cache = new Map<string, unknown>();

  constructor(readonly event: DetectionEvent) {}

  get table(): string {
    return this.event.table;
  }

  /** Original fields by lower-case name. */
  original(): ReadonlyMap<string, unknown> {
    if (this.originalMap === undefined) {
      const row = this.event.row;
      const o = this.event.original ?? parseObject(row.AdditionalFields) ?? parseObject(row.Fields);
      this.originalMap = lowerKeys(o);
    }
    return this.originalMap;
  }

  /** Row columns by lower-case name. */
  columns(): ReadonlyMap<string, unknown> {
    if (this.rowMap === undefined) this.rowMap = lowerKeys(this.event.row);
    return this.rowMap;
  }

  /** `evtx:<channel>` for Windows events, the Source column for raw events, in lower case; '' when unknown. */
  source(): string {
    const s = this.event.row.Source;
    if (typeof s === 'string') return s.toLowerCase();
    const ch = this.original().get('channel');
    return typeof ch === 'string' ? `evtx:${ch.toLowerCase()}` : '';
  }

  /** The source's event id as text ('' when unknown). */
  eventId(): string {
    const id = this.original().get('eventid') ?? this.event.row.EventType;
    return id === undefined || id === null ? '' : String(id);
  }

  /** The platform given with the event or inferred from its source and paths. */
  platform(): EventPlatform | undefined {
    if (this.event.platform) return this.event.platform;
    const src = this.source();
    if (src.startsWith('evtx:linux-')) return 'linux';
    if (src.startsWith('evtx:')) return 'windows';
    if (src.startsWith('linux:')) return 'linux';
    const path = this.event.row.FolderPath ?? this.event.row.InitiatingProcessFolderPath;
    if (typeof path === 'string' && path.length > 0) return path.startsWith('/') ? 'linux' : 'windows';
    return undefined;
  }

  /** Every primitive value of the row, the original fields and the field transforms, as text (keyword searches). */
  allValues(): readonly string[] {
    if (this.values === undefined) {
      const out: string[] = [];
      this.eachText((t) => out.push(t), false);
      this.values = out;
    }
    return this.values;
  }

  /**
   * Calls `fn` with what the literal prefilter scans: each of `allValues()`, and the JSON text of each object value
   * (a regex reads it so), without collecting them.
   */
  eachValue(fn: (text: string) => void): void {
    this.eachText(fn, true);
  }

  private eachText(fn: (text: string) => void, json: boolean): void {
    const row = this.event.row;
    for (const k in row) {
      if (k !== 'AdditionalFields' && k !== 'Fields') eachText(row[k], fn, 0, json);
      else if (json) {
        // A rule may read the column itself: its text, as a regex would.
        const v = row[k];
        if (typeof v === 'string') fn(v);
        else if (typeof v === 'object' && v !== null) fn(JSON.stringify(v));
      }
    }
    for (const v of this.original().values()) eachText(v, fn, 0, json);
    // Pipeline transforms compute values (Sysmon spellings of registry columns); they join the text so the
    // literal prefilter stays sound for rules that read them.
    for (const t of transforms) eachText(t(row), fn, 0, json);
  }
}
