import { type RowProblem, RowValidator } from '@vigil/protocol';
import { type TableSpec, tables } from '@vigil/schema';
import {
  initiatingColumns,
  type ProcessEventNotes,
  type ProcessInfo,
  processAdditionalFields,
  processCreatedRow,
  type SensorRow,
} from '@vigil/sensors';
import {
  type Completion,
  type FileRowParts,
  type LeafColumns,
  type LeafRowParts,
  leafRowFits,
  NO_PROCESS,
  type ProcessRowParts,
  processRowFits,
  writeFileRow,
  writeLeafRow,
  writeProcessRow,
} from './direct-rows.js';
import { type BatchRuns, RUN, writeJsonRow } from './json-row.js';
import { ShapeWriters, UNHANDLED } from './shape-writers.js';
import type { RowWrite, Spool } from './spool.js';

/** Longest string or dynamic value of a row, in bytes of UTF-8 (the server's limit). */
const MAX_FIELD_BYTES = 1024 * 1024;

/** Counters of rows that entered the spool or were refused locally. */
export interface TelemetryStats {
  rows: number;
  invalidRows: number;
  droppedBatches: number;
  droppedRows: number;
  /** Rows dropped from memory because the disk refused them (full) for longer than the agent keeps them. */
  unwrittenRows: number;
  rowsByTable: Record<string, number>;
}

/**
 * The one way sensors send rows: stamps ReportId and (skew-corrected) Timestamp, checks the row against the
 * hunting schema as the server will (one bad row would make the server refuse its whole batch) and appends
 * it to the spool.
 */
export class Telemetry {
  readonly stats: TelemetryStats = {
    rows: 0,
    invalidRows: 0,
    droppedBatches: 0,
    droppedRows: 0,
    unwrittenRows: 0,
    rowsByTable: {},
  };
  private reportId: number;
  private skewMs = 0;
  private readonly validator = new RowValidator(tables, { maxFieldBytes: MAX_FIELD_BYTES, writer: 'sensor' });
  private readonly shapes = new ShapeWriters(tables, MAX_FIELD_BYTES, 'sensor');
  private readonly specs: readonly TableSpec[] = tables;
  private readonly timeColumns = new Map<string, string | undefined>(this.specs.map((t) => [t.name, t.timeColumn]));
  private readonly hasReportId = new Set<string>(
    this.specs.filter((t) => t.columns.some((c) => c.name === 'ReportId')).map((t) => t.name),
  );

  constructor(
    private readonly spool: Spool,
    private readonly log: (line: string) => void,
  ) {
    // A per-device counter that keeps increasing across restarts without being stored: microseconds at start.
    this.reportId = Date.now() * 1000;
  }

  /** Server time minus local time, applied to the Timestamp of new rows. */
  setSkew(ms: number): void {
    if (ms !== this.skewMs) this.log(`clock skew against the server: ${ms} ms (Timestamps are corrected)`);
    this.skewMs = ms;
  }

  get skew(): number {
    return this.skewMs;
  }

  /** The current time as the server sees it, ISO-8601. */
  now(): string {
    return new Date(Date.now() + this.skewMs).toISOString();
  }

  private lastAtMs = Number.NaN;
  private lastAtIso = '';

  /**
   * A local wall-clock time (ms) as the server sees it, ISO-8601. The last answer is kept: the rows of a burst
   * (an `rm` of thousands of files) share their millisecond.
   */
  at(ms: number): string {
    const t = ms + this.skewMs;
    if (t !== this.lastAtMs) {
      this.lastAtIso = new Date(t).toISOString();
      this.lastAtMs = t;
    }
    return this.lastAtIso;
  }

  /** Corrects a local wall-clock time (ISO) for the skew. */
  corrected(iso: string): string {
    return this.skewMs === 0 ? iso : new Date(Date.parse(iso) + this.skewMs).toISOString();
  }

  /**
   * Queues rows for the server. Rows without Timestamp get the current (corrected) time. The rows are handed over:
   * they are completed and checked in place (sensors build a new object per row), not copied.
   */
  emit(rows: readonly SensorRow[]): void {
    for (const input of rows) {
      const row = input as Record<string, unknown>;
      const table = input.Table;
      const time = this.timeColumns.get(table);
      if (time === 'Timestamp' && row.Timestamp === undefined) row.Timestamp = this.now();
      if (row.ReportId === undefined && this.hasReportId.has(table)) row.ReportId = ++this.reportId;
      const problem = this.spool.appendRow(row, this.write);
      if (problem !== undefined) {
        this.stats.invalidRows++;
        this.log(`dropped an invalid ${table} row: ${problem.code} ${problem.message}`);
        continue;
      }
      this.stats.rows++;
      this.stats.rowsByTable[table] = (this.stats.rowsByTable[table] ?? 0) + 1;
    }
  }

  /**
   * Checks a row as the server will and writes its JSON: in one pass when a writer compiled for its shape takes it
   * (see ShapeWriters), else through the validator (which normalizes values in place, or refuses) and writeJsonRow.
   */
  private readonly write = (row: object, out: Buffer, start: number, batch: BatchRuns): number | RowProblem => {
    const end = this.shapes.write(row, out, start, batch);
    if (end !== UNHANDLED) return end;
    const checked = this.validator.validateInPlace(row);
    return 'code' in checked ? checked : writeJsonRow(row, out, start, true, batch);
  };

  /** The InitiatingProcess* columns (initiatingColumns' object) last given to runOf, and their run's JSON. */
  private lastColumns: object | undefined;
  private lastRun: Buffer | undefined;
  private readonly runValues: unknown[] = new Array<unknown>(RUN.length).fill(undefined);

  /**
   * The JSON of the run of these InitiatingProcess* columns (checked, see ShapeWriters.runJson), undefined when a value
   * is not what the schema takes unchanged. The columns of one process are one object: the last one is kept.
   */
  private runOf(initiating: object): Buffer | undefined {
    if (initiating !== this.lastColumns) {
      const columns = initiating as Readonly<Record<string, unknown>>;
      for (let i = 0; i < RUN.length; i++) this.runValues[i] = columns[RUN[i] as string];
      this.lastRun = this.shapes.runJson(this.runValues);
      this.lastColumns = initiating;
    }
    return this.lastRun;
  }

  /**
   * Completes a row written straight into the spool (see direct-rows.ts) with its Timestamp, run (runOf's last),
   * AdditionalFields and ReportId, appends it and counts it.
   */
  private appendDirect(
    r: Completion,
    write: RowWrite,
    table: string,
    timestamp: string,
    run: Buffer,
    additionalFields: string,
  ): void {
    r.timestamp = timestamp;
    r.run = run;
    r.runId = this.runValues[RUN.length - 1];
    r.additionalFields = additionalFields;
    r.reportId = ++this.reportId;
    this.spool.appendRow(r, write);
    this.stats.rows++;
    this.stats.rowsByTable[table] = (this.stats.rowsByTable[table] ?? 0) + 1;
  }

  private readonly fileRow: FileRowParts = {
    timestamp: '',
    members: Buffer.alloc(0),
    run: Buffer.alloc(0),
    runId: undefined,
    additionalFields: '',
    reportId: 0,
  };

  /**
   * Queues a DeviceFileEvents row vigil-collector made: its file columns (JSON members, ActionType to
   * RequestProtocol) completed with its Timestamp (`timeMs`, local, corrected here), the writer's InitiatingProcess*
   * columns (initiatingColumns' object), AdditionalFields and ReportId, written as emit() writes a fileEventRow. The
   * collector's columns are correct by construction (its tests hold them to the agent's own rows); a run the schema
   * would not take unchanged sends the row through emit() and the validator.
   */
  emitFileRow(timeMs: number, members: Buffer, initiating: object, additionalFields: string): void {
    const run = this.runOf(initiating);
    if (run === undefined) {
      const columns = JSON.parse(`{${members.toString()}}`) as Record<string, unknown>;
      this.emit([
        {
          Table: 'DeviceFileEvents',
          Timestamp: this.at(timeMs),
          ...columns,
          ...initiating,
          AdditionalFields: additionalFields,
        } as SensorRow,
      ]);
      return;
    }
    this.fileRow.members = members;
    this.appendDirect(this.fileRow, writeFileRow, 'DeviceFileEvents', this.at(timeMs), run, additionalFields);
  }

  private readonly processRow: ProcessRowParts = {
    timestamp: '',
    proc: NO_PROCESS,
    run: Buffer.alloc(0),
    runId: undefined,
    additionalFields: '',
    reportId: 0,
  };

  /**
   * Queues the ProcessCreated row of `proc` (processCreatedRow's row, with ReportId), written straight into the
   * spool. A value the generic path would not take unchanged (a command line beyond the field limit, say) sends the
   * row through emit() instead, where it is normalized or refused as any row.
   */
  emitProcessRow(
    timestamp: string,
    proc: ProcessInfo,
    parent: ProcessInfo | undefined,
    grandparent: ProcessInfo | undefined,
    notes: ProcessEventNotes,
  ): void {
    const run = this.runOf(initiatingColumns(parent, grandparent));
    const additionalFields = processAdditionalFields(proc, parent, notes);
    if (run === undefined || !processRowFits(proc, timestamp, additionalFields, MAX_FIELD_BYTES)) {
      this.emit([processCreatedRow(timestamp, proc, parent, grandparent, notes)]);
      return;
    }
    this.processRow.proc = proc;
    this.appendDirect(this.processRow, writeProcessRow, 'DeviceProcessEvents', timestamp, run, additionalFields);
  }

  private readonly leafRow: LeafRowParts = {
    timestamp: '',
    leaf: { uid: 0, members: Buffer.alloc(0), creationTime: '', accountName: '', uniqueId: '' },
    run: Buffer.alloc(0),
    runId: undefined,
    additionalFields: '',
    reportId: 0,
  };

  /**
   * Queues the ProcessCreated row of a leaf process whose own columns vigil-collector made (FileName to
   * ProcessCommandLine, as JSON members; see LeafProcess), completed as emitProcessRow completes a process's. Those
   * columns are correct by construction (its tests hold them to the agent's own rows); a value the generic path would
   * not take unchanged sends the row through emit().
   */
  emitLeafRow(
    timestamp: string,
    leaf: LeafColumns,
    parent: ProcessInfo | undefined,
    grandparent: ProcessInfo | undefined,
    notes: ProcessEventNotes,
  ): void {
    const initiating = initiatingColumns(parent, grandparent);
    const run = this.runOf(initiating);
    const additionalFields = processAdditionalFields(leaf, parent, notes);
    if (run === undefined || !leafRowFits(leaf, timestamp, additionalFields, MAX_FIELD_BYTES)) {
      const columns = JSON.parse(`{${leaf.members.toString()}}`) as Record<string, unknown>;
      this.emit([
        {
          Table: 'DeviceProcessEvents',
          Timestamp: timestamp,
          ActionType: 'ProcessCreated',
          ...columns,
          ProcessCreationTime: leaf.creationTime,
          AccountName: leaf.accountName,
          ProcessUniqueId: leaf.uniqueId,
          ...initiating,
          AdditionalFields: additionalFields,
        } as SensorRow,
      ]);
      return;
    }
    this.leafRow.leaf = leaf;
    this.appendDirect(this.leafRow, writeLeafRow, 'DeviceProcessEvents', timestamp, run, additionalFields);
  }

  /** Records a drop by the spool cap: counted, logged and reported to the server as a VigilRawEvents row. */
  reportDrop(batches: number, rows: number, capBytes: number): void {
    if (batches === 0) return;
    this.stats.droppedBatches += batches;
    this.stats.droppedRows += rows;
    this.log(`spool over its cap of ${capBytes} bytes: dropped the ${batches} oldest batches (${rows} rows)`);
    this.emit([
      {
        Table: 'VigilRawEvents',
        Source: 'vigil:agent',
        EventType: 'SpoolDropped',
        Fields: {
          DroppedBatches: batches,
          DroppedRows: rows,
          TotalDroppedBatches: this.stats.droppedBatches,
          TotalDroppedRows: this.stats.droppedRows,
          CapBytes: capBytes,
        },
      },
    ]);
  }

  /**
   * Records rows dropped from memory because the spool could not write them (`why`: the disk's error): counted,
   * logged and reported as a VigilRawEvents row, which reaches the server once the disk takes rows again.
   */
  reportUnwritten(rows: number, why: string): void {
    if (rows === 0) return;
    this.stats.unwrittenRows += rows;
    this.log(`spool: dropped ${rows} rows kept in memory while the disk refused them (${why})`);
    this.emit([
      {
        Table: 'VigilRawEvents',
        Source: 'vigil:agent',
        EventType: 'SpoolWriteFailed',
        Fields: { DroppedRows: rows, TotalUnwrittenRows: this.stats.unwrittenRows, Error: why },
      },
    ]);
  }
}
