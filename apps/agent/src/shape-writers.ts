import { isStoredDatetime } from '@vigil/protocol';
import type { ColumnType, TableSpec, TableWriter } from '@vigil/schema';
import {
  type BatchRuns,
  commitRun,
  copyKey,
  INITIATING_PREFIX,
  RUN,
  runJsonOfValues,
  writeNamedJson,
  writeNamedString,
  writeRunJson,
} from './json-row.js';

/** ShapeWriters.write's answer for a row it leaves to the validator and writeJsonRow. */
export const UNHANDLED = -2;

/** Shapes compiled per table at most (rows of one table come in a few shapes: one per sensor, usually). */
const MAX_SHAPES = 8;

type ShapeWriter = (row: object, out: Buffer, at: number, end: number, batch: BatchRuns | undefined) => number;

interface Shape {
  /** The row's keys, in order. */
  readonly keys: readonly string[];
  /** Undefined for a shape no writer is compiled for (a key that is not a column, say): left to the validator. */
  readonly write: ShapeWriter | undefined;
}

/** True when the row's keys (for-in's, own ones on a plain object) are `keys`, in order: a pointer comparison each. */
function sameKeys(row: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const k in row) if (k !== keys[i++]) return false;
  return i === keys.length;
}

/** What compiled writers call; one object, so that each call site sees one function. */
interface Helpers {
  str(name: Buffer, v: string, out: Buffer, at: number, end: number): number;
  json(name: Buffer, json: string, out: Buffer, at: number, end: number): number;
  datetime(v: string): boolean;
  run(values: unknown[], other: boolean, batch: BatchRuns | undefined, out: Buffer, at: number, end: number): number;
  commit(batch: BatchRuns | undefined, other: boolean): void;
  copy(bytes: Buffer, out: Buffer, at: number): number;
}

/**
 * Writes the rows of the agent's own sensors as NDJSON and checks them as the server will, in one pass, through a
 * writer compiled for each shape of row (its table and its keys, in order): each column is read by name (one
 * inline cache per column, where a generic loop reads every key through V8's megamorphic cache) and checked by its
 * type. What such a writer writes is what RowValidator would accept unchanged, written as writeJsonRow would
 * (JSON.stringify's bytes, InitiatingProcess* runs kept and referred to the same way). Anything else (a key that is not a
 * column, a null, a value to normalize or refuse, a long-typed string) is UNHANDLED: the caller validates the row
 * and writes it with writeJsonRow, so that what is refused is said as the validator says it.
 */
export class ShapeWriters {
  private readonly tables = new Map<string, { readonly spec: TableSpec; readonly shapes: Shape[] }>();
  /** The type of each InitiatingProcess* run column, when every table that has the run gives it the same types. */
  private readonly runTypes: readonly ColumnType[] | undefined;
  /** Run JSON (kept by runJsonOfValues, by identity) whose values were checked against runTypes. */
  private readonly checkedRuns = new WeakSet<Buffer>();
  private readonly helpers: Helpers;
  private readonly runFits: (values: readonly unknown[]) => boolean;

  constructor(
    specs: readonly TableSpec[],
    private readonly maxFieldBytes: number,
    writer: TableWriter,
  ) {
    let runTypes: ColumnType[] | undefined;
    let sameRunTypes = true;
    for (const spec of specs) {
      if (!spec.writers.includes(writer)) continue;
      this.tables.set(spec.name, { spec, shapes: [] });
      const types = RUN.map((name) => spec.columns.find((c) => c.name === name)?.type);
      if (types.some((t) => t === undefined)) continue;
      if (runTypes === undefined) runTypes = types as ColumnType[];
      else if (types.some((t, i) => t !== runTypes?.[i])) sameRunTypes = false;
    }
    this.runTypes = sameRunTypes ? runTypes : undefined;
    this.runFits = runCheck(this.runTypes, maxFieldBytes);
    this.helpers = {
      str: writeNamedString,
      json: writeNamedJson,
      datetime: isStoredDatetime,
      run: (values, other, batch, out, at, end) => {
        const json = this.runJson(values);
        if (json === undefined) return UNHANDLED;
        return writeRunJson(json, values[RUN.length - 1], other, batch, out, at, end);
      },
      commit: commitRun,
      copy: copyKey,
    };
  }

  /**
   * The JSON of an InitiatingProcess* run (its values in RUN's order, see runJsonOfValues), once its values were
   * checked as the compiled writers check them; undefined when one is not what the validator accepts unchanged.
   */
  runJson(values: readonly unknown[]): Buffer | undefined {
    const json = runJsonOfValues(values);
    if (json === undefined) return undefined;
    if (!this.checkedRuns.has(json)) {
      if (!this.runFits(values)) return undefined;
      this.checkedRuns.add(json);
    }
    return json;
  }

  /**
   * Writes the row's JSON into `out` from `start`, leaving one byte free after it; returns the end, -1 when it does
   * not fit, or UNHANDLED (nothing useful written). `batch` is writeJsonRow's: the runs the batch holds in full.
   */
  write(row: object, out: Buffer, start: number, batch?: BatchRuns): number {
    const table = (row as { Table?: unknown }).Table;
    const t = typeof table === 'string' ? this.tables.get(table) : undefined;
    if (t === undefined || Object.getPrototypeOf(row) !== Object.prototype) return UNHANDLED;
    const shapes = t.shapes;
    for (let i = 0; i < shapes.length; i++) {
      const shape = shapes[i] as Shape;
      if (!sameKeys(row, shape.keys)) continue;
      return shape.write === undefined ? UNHANDLED : shape.write(row, out, start, out.length - 1, batch);
    }
    if (shapes.length >= MAX_SHAPES) return UNHANDLED;
    const keys: string[] = [];
    for (const k in row) {
      if (!Object.hasOwn(row, k)) return UNHANDLED;
      keys.push(k);
    }
    const write = this.compile(t.spec, keys);
    shapes.push({ keys, write });
    return write === undefined ? UNHANDLED : write(row, out, start, out.length - 1, batch);
  }

  /**
   * The writer of one shape: `{"Table":"T"` then each key in order, its value checked by the column's type and
   * written (undefined values left out, as JSON.stringify does), the InitiatingProcess* run as writeJsonRow writes
   * it. Undefined when the shape has a key that is not a column of the table, lacks the table's time column, or
   * does not start with Table.
   */
  private compile(spec: TableSpec, keys: readonly string[]): ShapeWriter | undefined {
    if (keys[0] !== 'Table') return undefined;
    const types = new Map(spec.columns.map((c) => [c.name, c.type]));
    if (keys.slice(1).some((k) => !types.has(k))) return undefined;
    if (spec.timeColumn !== undefined && !keys.includes(spec.timeColumn)) return undefined;
    const runAt = keys.indexOf(RUN[0] as string);
    if (runAt >= 0 && (this.runTypes === undefined || RUN.some((name, i) => keys[runAt + i] !== name)))
      return undefined;
    const runEnd = runAt >= 0 ? runAt + RUN.length : -1;
    const other = keys.some((k, i) => k.startsWith(INITIATING_PREFIX) && !(runAt >= 0 && i >= runAt && i < runEnd));
    const names: Buffer[] = [];
    const lines: string[] = [`if (at + P.length > end) return -1;`, `at = H.copy(P, out, at);`, `let v;`];
    for (let i = 1; i < keys.length; i++) {
      const key = keys[i] as string;
      if (i === runAt) {
        lines.push(
          ...RUN.map((name, j) => `S[${j}] = row[${JSON.stringify(name)}];`),
          `at = H.run(S, ${other}, batch, out, at, end);`,
          `if (at < 0) return at;`,
        );
        i = runEnd - 1;
        continue;
      }
      const type = types.get(key) as ColumnType;
      const n = names.push(Buffer.from(`,${JSON.stringify(key)}:`)) - 1;
      const value =
        type === 'bool'
          ? `v ? 'true' : 'false'`
          : type === 'long' || type === 'int' || type === 'real'
            ? 'String(v)'
            : 'v';
      const helper = value === 'v' ? 'str' : 'json';
      lines.push(
        `v = row[${JSON.stringify(key)}];`,
        ...(key === spec.timeColumn ? [`if (v === undefined) return ${UNHANDLED};`] : []),
        `if (v !== undefined) {`,
        `  if (!(${fitsExpression(type, this.maxFieldBytes)})) return ${UNHANDLED};`,
        `  at = H.${helper}(K[${n}], ${value}, out, at, end);`,
        `  if (at < 0) return at;`,
        `}`,
      );
    }
    lines.push(`if (at + 1 > end) return -1;`, `out[at++] = 0x7d;`);
    if (runAt >= 0) lines.push(`H.commit(batch, ${other});`);
    lines.push(`return at;`);
    const body = `return function write(row, out, at, end, batch) {\n${lines.join('\n')}\n};`;
    const prefix = Buffer.from(`{"Table":${JSON.stringify(spec.name)}`);
    const scratch = new Array<unknown>(RUN.length).fill(undefined);
    return new Function('H', 'K', 'P', 'S', body)(this.helpers, names, prefix, scratch) as ShapeWriter;
  }
}

/** A check that a run's values (in RUN's order) are what the validator accepts unchanged; never true without types. */
function runCheck(
  types: readonly ColumnType[] | undefined,
  maxFieldBytes: number,
): (values: readonly unknown[]) => boolean {
  if (types === undefined) return () => false;
  const lines = types.map(
    (t, i) => `v = values[${i}];\nif (v !== undefined && !(${fitsExpression(t, maxFieldBytes)})) return false;`,
  );
  const body = `return function runFits(values) {\nlet v;\n${lines.join('\n')}\nreturn true;\n};`;
  return new Function('H', body)({ datetime: isStoredDatetime });
}

/**
 * A JavaScript expression over `v` (and H.datetime), true when v is a value the validator accepts unchanged for a
 * column of this type: the one statement of that rule for compiled writers and run checks.
 */
function fitsExpression(type: ColumnType, maxFieldBytes: number): string {
  switch (type) {
    case 'string':
      return `typeof v === 'string' && v.length <= ${Math.floor(maxFieldBytes / 3)}`; // 3 bytes of UTF-8 at most
    case 'dynamic':
      return `typeof v === 'string' && v.length <= ${Math.floor(maxFieldBytes / 6)}`; // as JSON text: \u00XX
    case 'datetime':
      return `typeof v === 'string' && H.datetime(v)`;
    case 'long':
      return `typeof v === 'number' && Number.isSafeInteger(v)`;
    case 'int':
      return `typeof v === 'number' && Number.isInteger(v) && v >= -2147483648 && v <= 2147483647`;
    case 'real':
      return `typeof v === 'number' && Number.isFinite(v)`;
    case 'bool':
      return `typeof v === 'boolean'`;
  }
}
