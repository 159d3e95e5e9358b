import type { ColumnSpec, ColumnType, TableSpec, TableWriter } from '@vigil/schema';
import { closestNames } from './closest.js';
import { normalizeDatetime } from './datetime.js';

/** A validated row ready to store: its table and its column values. */
export interface ValidRow {
  readonly table: string;
  readonly row: Record<string, unknown>;
  /** True when a value was normalized (a datetime rewritten, a null dropped): the input text is not the row. */
  readonly changed: boolean;
}

/** Why one input row was rejected: a stable code, the field (when one is at fault) and a hint. */
export interface RowProblem {
  readonly code: string;
  readonly message: string;
  readonly field?: string;
  readonly hint?: string;
}

/** Limits and rights that apply while validating. */
export interface ValidatorOptions {
  /** Largest string or dynamic value, in bytes of UTF-8. */
  readonly maxFieldBytes: number;
  /** Who writes: sensors (agents, importers) may not write server-only tables such as AlertInfo. */
  readonly writer: TableWriter;
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const LONG_TEXT = /^-?\d{1,19}$/;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Why a value was refused (a class, so that checks return values without wrapping them: a hot path). */
class Refusal {
  constructor(readonly problem: string) {}
}

type Check = (value: unknown, max: number) => unknown;

function byteLength(s: string, max: number): number {
  // Fast path: a string of at most max/3 UTF-16 units cannot exceed max bytes.
  if (s.length * 3 <= max) return 0;
  return new TextEncoder().encode(s).length;
}

/** UTC datetimes with at most microseconds are stored as sent (the store reads them exactly); others are normalized. */
const UTC_DATETIME = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?Z$/;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * True for a datetime stored as sent: UTC, at most microseconds, a day that exists (others are normalized or refused).
 */
export function isStoredDatetime(v: string): boolean {
  return UTC_DATETIME.test(v) && dayExists(v);
}

/** The day of a UTC_DATETIME text exists in its month (the pattern allows up to 31 in any month). */
function dayExists(v: string): boolean {
  const day = (v.charCodeAt(8) - 48) * 10 + v.charCodeAt(9) - 48;
  if (day <= 28) return true;
  const month = (v.charCodeAt(5) - 48) * 10 + v.charCodeAt(6) - 48;
  if (month !== 2) return day <= (DAYS_IN_MONTH[month - 1] as number);
  const year = Number(v.slice(0, 4));
  return day === 29 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const checks: Readonly<Record<ColumnType, Check>> = {
  string: (v, max) => {
    if (typeof v !== 'string') return new Refusal(`expected a string, got ${describe(v)}`);
    const n = byteLength(v, max);
    return n > max ? new Refusal(`value is ${n} bytes, over the limit of ${max}`) : v;
  },
  datetime: (v) => {
    if (typeof v !== 'string') return new Refusal(`expected an ISO-8601 datetime string, got ${describe(v)}`);
    if (isStoredDatetime(v)) return v;
    const d = normalizeDatetime(v);
    return d === undefined ? new Refusal(`"${v.slice(0, 40)}" is not an ISO-8601 datetime`) : d;
  },
  long: (v) => {
    if (typeof v === 'number') return Number.isSafeInteger(v) ? v : new Refusal(`expected a whole number, got ${v}`);
    if (typeof v === 'string' && LONG_TEXT.test(v)) {
      const b = BigInt(v);
      if (b <= INT64_MAX && b >= INT64_MIN) return v;
    }
    return new Refusal(`expected a 64-bit whole number, got ${describe(v)}`);
  },
  int: (v) =>
    typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX
      ? v
      : new Refusal(`expected a 32-bit whole number, got ${describe(v)}`),
  bool: (v) => (typeof v === 'boolean' ? v : new Refusal(`expected true or false, got ${describe(v)}`)),
  real: (v) => (typeof v === 'number' && Number.isFinite(v) ? v : new Refusal(`expected a number, got ${describe(v)}`)),
  dynamic: (v, max) => {
    const text = JSON.stringify(v);
    return text.length > max / 3 && byteLength(text, max) > max
      ? new Refusal(`value is over the limit of ${max} bytes`)
      : v;
  },
};

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
  if (typeof v === 'object') return 'an object';
  return `${typeof v} ${String(v)}`;
}

/** Validates rows shaped `{"Table": "...", ...columns}` against the hunting schema. */
export class RowValidator {
  private readonly tables = new Map<string, { spec: TableSpec; columns: Map<string, ColumnSpec> }>();

  constructor(
    specs: readonly TableSpec[],
    private readonly options: ValidatorOptions,
  ) {
    for (const spec of specs)
      this.tables.set(spec.name, { spec, columns: new Map(spec.columns.map((c) => [c.name, c])) });
  }

  /** True when `table` has a column named `column`. */
  hasColumn(table: string, column: string): boolean {
    return this.tables.get(table)?.columns.has(column) ?? false;
  }

  /** The table a row names, when it exists and this writer may write it. */
  private tableOf(tableName: unknown): { spec: TableSpec; columns: Map<string, ColumnSpec> } | RowProblem {
    if (typeof tableName !== 'string') {
      return {
        code: 'INGEST_MISSING_TABLE',
        message: 'the row has no "Table" string naming its hunting table',
        field: 'Table',
      };
    }
    const table = this.tables.get(tableName);
    if (!table) {
      const near = closestNames(tableName, [...this.tables.keys()]);
      return {
        code: 'INGEST_UNKNOWN_TABLE',
        message: `unknown table "${tableName}"`,
        field: 'Table',
        hint: near.length > 0 ? `did you mean ${near.join(', ')}?` : `tables: ${[...this.tables.keys()].join(', ')}`,
      };
    }
    if (!table.spec.writers.includes(this.options.writer)) {
      return {
        code: 'INGEST_TABLE_NOT_WRITABLE',
        message: `table ${tableName} is written by the server only`,
        field: 'Table',
      };
    }
    return table;
  }

  /** Validates one parsed JSON value; returns the row (a copy without Table) or the first problem found. */
  validate(input: unknown): ValidRow | RowProblem {
    return this.check(input, false);
  }

  /**
   * Like validate, without the copy (a hot path of ingest): normalized values are written into the parsed object,
   * and the row returned is that object, its Table key still in. Table is not a column: stores and detection
   * leave it out.
   */
  validateInPlace(input: unknown): ValidRow | RowProblem {
    return this.check(input, true);
  }

  private check(input: unknown, inPlace: boolean): ValidRow | RowProblem {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return { code: 'INGEST_NOT_OBJECT', message: `a row must be a JSON object, got ${describe(input)}` };
    }
    const obj = input as Record<string, unknown>;
    const table = this.tableOf(obj.Table);
    if ('code' in table) return table;
    const tableName = table.spec.name;
    // Values are checked, and replaced where normalized, in the row: a copy without Table (object rest is a fast
    // clone), or the object itself.
    let row = obj;
    if (!inPlace) {
      const { Table: _table, ...copy } = obj;
      row = copy;
    }
    let changed = false;
    for (const key in row) {
      if (key === 'Table' && inPlace) continue;
      const col = table.columns.get(key);
      if (!col) {
        const near = closestNames(key, [...table.columns.keys()]);
        return {
          code: 'INGEST_UNKNOWN_COLUMN',
          message: `table ${tableName} has no column "${key}"`,
          field: key,
          ...(near.length > 0 ? { hint: `did you mean ${near.join(', ')}?` } : {}),
        };
      }
      const value = row[key];
      // undefined is no value (JSON leaves it out): rows built with a fixed set of keys use it for absent columns.
      if (value === undefined) continue;
      if (value === null) {
        delete row[key];
        changed = true;
        continue;
      }
      // Most values are strings of string columns, well within the limit: checked here without a call.
      if (col.type === 'string' && typeof value === 'string' && value.length * 3 <= this.options.maxFieldBytes)
        continue;
      const r = checks[col.type](value, this.options.maxFieldBytes);
      if (r instanceof Refusal) {
        const code = r.problem.includes('over the limit') ? 'INGEST_FIELD_TOO_LARGE' : 'INGEST_WRONG_TYPE';
        return { code, message: `${tableName}.${key} (${col.type}): ${r.problem}`, field: key };
      }
      if (r !== value) {
        changed = true;
        row[key] = r;
      }
    }
    const time = table.spec.timeColumn;
    if (time !== undefined && row[time] === undefined) {
      return { code: 'INGEST_MISSING_TIME', message: `table ${tableName} needs a ${time} value`, field: time };
    }
    return { table: tableName, row, changed };
  }
}
