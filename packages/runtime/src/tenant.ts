import { join } from 'node:path';
import { type Clock, VigilError } from '@vigil/base';
import { type Alert, AlertService } from '@vigil/incidents';
import { type DeviceIdentity, decodeBatch, type IngestLimits, IngestQueue, type SubmitOutcome } from '@vigil/ingest';
import { RowValidator } from '@vigil/protocol';
import { ActionFiles, ActionService, AuditLog, CommandKeys } from '@vigil/response';
import type { TableSpec } from '@vigil/schema';
import { type BatchWrite, rowCountOf, type StateStore, type TelemetryStore } from '@vigil/storage';
import { DuckdbStateStore, DuckdbTelemetryStore } from '@vigil/storage-duckdb';
import { TenantService } from '@vigil/tenants';
import { alertRowsBatch, indicatorFindings, matchRowIndicators } from './detect-indicators.js';
import { SigmaOffload } from './detect-offload.js';
import type { Finding } from './detect-sigma.js';
import { DetectionRuleService } from './detection-rules.js';
import { IndicatorService } from './indicator-service.js';

/**
 * Most stored rows waiting for Sigma evaluation: detection may lag behind acknowledgement, but only this far (a few
 * seconds of full-speed ingest). Past it, an agent's batch waits for room, still compressed, before it is decoded.
 */
const DETECTION_BACKLOG_ROWS = 200_000;
/** How long a batch waits for detection to make room before the agent gets 429 and retries later. */
const DETECTION_WAIT_MS = 2_000;

/** Retention when a tenant has not set its own. */
export const DEFAULT_RETENTION_DAYS = 180;

/** Counters a tenant keeps for metrics. */
export interface TenantCounters {
  /** Rows stored, per table. */
  readonly rowsIngested: Map<string, number>;
  /** Batches rejected, per error code. */
  readonly batchesRejected: Map<string, number>;
  batchesStored: number;
  batchesDuplicate: number;
}

interface TenantParts {
  /** The data dir whose Sigma rules (see RuleLibrary) are evaluated at ingest (none: no Sigma evaluation). */
  readonly rulesRoot?: string;
  readonly name: string;
  readonly dir: string;
  readonly tables: readonly TableSpec[];
  readonly limits: IngestLimits;
  readonly clock: Clock;
}

/** One open tenant: its stores, its identity service and its ingest queue. */
export class Tenant {
  readonly counters: TenantCounters = {
    rowsIngested: new Map(),
    batchesRejected: new Map(),
    batchesStored: 0,
    batchesDuplicate: 0,
  };
  readonly queue: IngestQueue;
  readonly service: TenantService;
  readonly alerts: AlertService;
  readonly indicators: IndicatorService;
  readonly detectionRules: DetectionRuleService;
  /** Response actions, their signed commands and uploaded files; every change also lands in the audit log. */
  readonly actions: ActionService;
  readonly actionFiles: ActionFiles;
  readonly audit: AuditLog;
  private readonly validator: RowValidator;
  /** Detections run after a batch is stored, one batch at a time, off the acknowledgement path. */
  private detecting: Promise<void> = Promise.resolve();
  /** Sigma evaluation in a worker thread (none when the data dir evaluates no Sigma rules). */
  private readonly sigma: SigmaOffload | undefined;
  /** Indicator detections of decoded batches, raised once the batch is stored. */
  private readonly decodedFindings = new WeakMap<BatchWrite, readonly Finding[]>();
  /** Errors of detection runs, kept for metrics and the log. */
  detectionErrors = 0;

  private constructor(
    private readonly parts: TenantParts,
    readonly telemetry: TelemetryStore,
    readonly state: StateStore,
    keys: CommandKeys,
  ) {
    this.service = new TenantService(parts.name, state, parts.clock);
    this.audit = new AuditLog(state, parts.clock);
    this.actions = new ActionService(parts.name, state, keys, this.audit, parts.clock);
    this.actionFiles = new ActionFiles(join(parts.dir, 'actions'), () => parts.clock.now());
    this.validator = new RowValidator(parts.tables, { maxFieldBytes: parts.limits.maxFieldBytes, writer: 'sensor' });
    this.alerts = new AlertService(state, parts.clock);
    this.indicators = new IndicatorService(state, parts.clock);
    this.detectionRules = new DetectionRuleService(state, telemetry, this.alerts, parts.clock);
    this.sigma = parts.rulesRoot === undefined ? undefined : new SigmaOffload(parts.rulesRoot);
    this.queue = new IngestQueue(telemetry, parts.limits, (b) => {
      this.countStored(b);
      // Both start on the batch at once, so that its rows need not be kept; findings are raised in commit order.
      const indicators = this.matchIndicators(b);
      const sigma = this.sigma?.evaluate(b);
      // Failures are counted when the chain reaches them, not reported as unhandled before.
      indicators.catch(() => undefined);
      sigma?.catch(() => undefined);
      this.detecting = this.detecting
        .then(() => this.detect(indicators, sigma))
        .catch(() => {
          this.detectionErrors++;
        });
    });
  }

  private async matchIndicators(batch: BatchWrite): Promise<readonly Finding[]> {
    const decoded = this.decodedFindings.get(batch) ?? [];
    return [...decoded, ...indicatorFindings(batch, await this.indicators.current(), this.parts.clock.now())];
  }

  private async detect(
    indicators: Promise<readonly Finding[]>,
    sigma: Promise<readonly Finding[]> | undefined,
  ): Promise<void> {
    const created: Alert[] = [];
    try {
      await this.raise(created, await indicators);
      await this.raise(created, (await sigma) ?? []);
    } finally {
      const rows = alertRowsBatch(created);
      if (rows) void this.queue.submit(rows).catch(() => undefined);
    }
  }

  private async raise(created: Alert[], found: readonly Finding[]): Promise<void> {
    for (const f of found) {
      const r = await this.alerts.raise(f.detection, { table: f.table, row: f.row });
      if (r?.created) created.push(r.alert);
    }
  }

  /** Runs a custom detection now and stores the AlertInfo/AlertEvidence rows of the alerts it raised. */
  async runDetectionRule(id: string): Promise<number> {
    const created = await this.detectionRules.run(id);
    const rows = alertRowsBatch(created);
    if (rows) await this.queue.submit(rows);
    return created.length;
  }

  /** Runs every custom detection that is due; returns the alerts raised. */
  async runDueDetectionRules(): Promise<number> {
    let n = 0;
    for (const rule of await this.detectionRules.due()) n += await this.runDetectionRule(rule.id);
    return n;
  }

  /** Resolves once every queued batch is stored and has been through detection, alert rows included. */
  async settled(): Promise<void> {
    await this.queue.idle();
    await this.detectionsIdle();
    await this.queue.idle();
  }

  /** Resolves once every stored batch so far has been through detection (for tests and shutdown). */
  async detectionsIdle(): Promise<void> {
    let current: Promise<void>;
    do {
      current = this.detecting;
      await current;
    } while (current !== this.detecting);
  }

  /** Opens the stores of a tenant folder. */
  static async open(parts: TenantParts): Promise<Tenant> {
    const state = await DuckdbStateStore.open(join(parts.dir, 'state.duckdb'));
    try {
      const telemetry = await DuckdbTelemetryStore.open({
        file: join(parts.dir, 'telemetry.duckdb'),
        journalDir: join(parts.dir, 'journal'),
        tables: parts.tables,
      });
      return new Tenant(parts, telemetry, state, await CommandKeys.open(state));
    } catch (e) {
      await state.close();
      throw e;
    }
  }

  get name(): string {
    return this.parts.name;
  }

  get limits(): IngestLimits {
    return this.parts.limits;
  }

  /** The validator that agents' and importers' rows go through. */
  get rowValidator(): RowValidator {
    return this.validator;
  }

  /** Decodes, validates and durably stores one batch; resolves once it is stored. */
  async ingest(
    key: string,
    body: Buffer,
    options: { gzip: boolean; device?: DeviceIdentity; source?: string },
  ): Promise<SubmitOutcome> {
    let decoded: Awaited<ReturnType<typeof decodeBatch>>;
    // Indicators are matched while the rows are parsed; the batch keeps only its NDJSON.
    const found: Finding[] = [];
    try {
      await this.roomForDetection();
      const matcher = await this.indicators.current();
      const now = this.parts.clock.now();
      decoded = await decodeBatch(body, {
        ...options,
        limits: this.parts.limits,
        validator: this.validator,
        ...(matcher.empty ? {} : { onRow: (table, row) => matchRowIndicators(table, row, matcher, now, found) }),
      });
    } catch (e) {
      this.countRejected(e);
      throw e;
    }
    const batch: BatchWrite = { key, tables: decoded.tables, rowCount: decoded.rowCount };
    if (found.length > 0) this.decodedFindings.set(batch, found);
    return this.submit(batch);
  }

  /** Waits while Sigma evaluation is too far behind what was acknowledged; 429 when it stays behind. */
  private async roomForDetection(): Promise<void> {
    if (!this.sigma || (await this.sigma.below(DETECTION_BACKLOG_ROWS, DETECTION_WAIT_MS))) return;
    throw new VigilError('INGEST_QUEUE_FULL', `detection is ${this.sigma.backlogRows} rows behind the stored batches`, {
      status: 429,
      retryAfter: 1,
      hint: 'retry the same batch later',
    });
  }

  /** Queues an already validated batch. */
  async submit(batch: BatchWrite): Promise<SubmitOutcome> {
    try {
      const outcome = await this.queue.submit(batch);
      if (outcome.duplicate) this.counters.batchesDuplicate++;
      return outcome;
    } catch (e) {
      this.countRejected(e);
      throw e;
    }
  }

  private countRejected(e: unknown): void {
    const code = e instanceof VigilError ? e.code : 'INTERNAL';
    this.counters.batchesRejected.set(code, (this.counters.batchesRejected.get(code) ?? 0) + 1);
  }

  private countStored(b: BatchWrite): void {
    this.counters.batchesStored++;
    for (const [table, rows] of b.tables) {
      this.counters.rowsIngested.set(table, (this.counters.rowsIngested.get(table) ?? 0) + rowCountOf(rows));
    }
  }

  /** The retention of this tenant, in days. */
  async retentionDays(): Promise<number> {
    const v = await this.state.getSetting('retentionDays');
    return v === undefined ? DEFAULT_RETENTION_DAYS : Number(v);
  }

  /** Sets the retention of this tenant, in days (1 to 3650). */
  async setRetentionDays(days: number): Promise<void> {
    if (!Number.isInteger(days) || days < 1 || days > 3650) {
      throw new VigilError(
        'TENANT_BAD_RETENTION',
        `retention must be a whole number of days from 1 to 3650, got ${days}`,
      );
    }
    await this.state.setSetting('retentionDays', String(days));
  }

  /** Deletes telemetry older than the retention; returns the rows deleted. */
  async enforceRetention(): Promise<number> {
    const days = await this.retentionDays();
    return this.telemetry.deleteOlderThan(new Date(this.parts.clock.now().getTime() - days * 86_400_000));
  }

  /** Writes what is queued, then closes the stores. */
  async close(): Promise<void> {
    await this.detectionsIdle();
    await this.queue.close();
    // Batches the close wrote are evaluated too before the worker stops.
    await this.detectionsIdle();
    await this.sigma?.close();
    await this.telemetry.close();
    await this.state.close();
  }
}
