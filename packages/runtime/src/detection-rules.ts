import { randomUUID } from 'node:crypto';
import { type Clock, VigilError } from '@vigil/base';
import type { Alert, AlertService } from '@vigil/incidents';
import { alertSeverities } from '@vigil/protocol';
import type { StateStore, TelemetryStore } from '@vigil/storage';
import { HuntError, isCompileFailure, kqlCompiler, runHunt } from './hunt.js';

const COLLECTION = 'detectionrules';

/** Run frequencies of custom detections and the look-back of each (Defender's table). */
export const schedules = {
  '0': { everyMs: 60_000, lookbackMs: 5 * 60_000 },
  '1H': { everyMs: 3_600_000, lookbackMs: 4 * 3_600_000 },
  '3H': { everyMs: 3 * 3_600_000, lookbackMs: 12 * 3_600_000 },
  '12H': { everyMs: 12 * 3_600_000, lookbackMs: 48 * 3_600_000 },
  '24H': { everyMs: 24 * 3_600_000, lookbackMs: 30 * 86_400_000 },
} as const;

/** A schedule: `0` is continuous (every minute here), else every 1, 3, 12 or 24 hours. */
export type Schedule = keyof typeof schedules;

/** Columns that identify the entity of a custom detection's result row (one is required). */
export const entityColumns = [
  'DeviceId',
  'DeviceName',
  'RemoteDeviceName',
  'AccountObjectId',
  'AccountSid',
  'AccountUpn',
  'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn',
  'InitiatingProcessAccountObjectId',
] as const;

/** A custom detection: a KQL query, a schedule, an alert template and a cap of alerts per run. */
export interface DetectionRule {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly schedule: Schedule;
  readonly enabled: boolean;
  readonly alertTemplate: {
    readonly title: string;
    readonly description: string;
    readonly severity: (typeof alertSeverities)[number];
    readonly category: string;
    readonly mitreTechniques: readonly string[];
    readonly recommendedAction: string;
    /** The result column naming each impacted entity (Defender's entity mapping). */
    readonly impactedEntities: { readonly device?: string; readonly user?: string };
  };
  readonly maxAlertsPerRun: number;
  readonly createdBy: string;
  readonly createdTime: string;
  readonly lastRunTime: string | null;
  readonly lastRunStatus: 'Completed' | 'Failed' | null;
  readonly lastRunError: string | null;
  readonly lastRunAlerts: number;
}

/** The most alerts one run may raise (Defender caps runs too). */
export const MAX_ALERTS_PER_RUN = 150;

function field<T>(
  body: Record<string, unknown>,
  key: string,
  check: (v: unknown) => v is T,
  want: string,
  fallback?: T,
): T {
  const v = body[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (!check(v))
    throw new VigilError('DETECTION_RULE_INVALID', `"${key}" must be ${want}`, {
      details: [
        {
          code: 'DETECTION_RULE_INVALID',
          message: `"${key}" must be ${want}`,
          severity: 'error',
          location: { field: key },
        },
      ],
    });
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isAnyString = (v: unknown): v is string => typeof v === 'string';

/** Custom detections of one tenant: saved with their columns checked, run on schedule, raising capped alerts. */
export class DetectionRuleService {
  constructor(
    private readonly state: StateStore,
    private readonly telemetry: TelemetryStore,
    private readonly alerts: AlertService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<DetectionRule[]> {
    return (await this.state.listDocuments(COLLECTION, { orderBy: { field: 'createdTime' } }))
      .items as unknown as DetectionRule[];
  }

  async get(id: string): Promise<DetectionRule | undefined> {
    return (await this.state.getDocument(COLLECTION, id)) as DetectionRule | undefined;
  }

  /** Validates and saves a rule (new, or replacing `id`); the query must compile and return the required columns. */
  async save(body: Record<string, unknown>, by: string, id?: string): Promise<DetectionRule> {
    const prior = id ? await this.get(id) : undefined;
    if (id && !prior) throw new VigilError('DETECTION_RULE_UNKNOWN', `no detection rule "${id}"`, { status: 404 });
    const merged = { ...(prior ?? {}), ...body };
    const query = field(merged, 'query', isString, 'a KQL query');
    const columns = await checkColumns(query);
    const schedule = String(merged.schedule ?? '24H').toUpperCase() as Schedule;
    if (!(schedule in schedules)) {
      throw new VigilError('DETECTION_RULE_INVALID', `"schedule" must be one of ${Object.keys(schedules).join(', ')}`);
    }
    const t = (merged.alertTemplate ?? {}) as Record<string, unknown>;
    const severity = field(
      t,
      'severity',
      (v): v is DetectionRule['alertTemplate']['severity'] => (alertSeverities as readonly unknown[]).includes(v),
      alertSeverities.join(', '),
      'Medium',
    );
    const techniques = Array.isArray(t.mitreTechniques) ? t.mitreTechniques.map(String) : [];
    if (techniques.some((x) => !/^T\d{4}(\.\d{3})?$/.test(x))) {
      throw new VigilError(
        'DETECTION_RULE_INVALID',
        '"alertTemplate.mitreTechniques" must be ATT&CK ids such as T1059.001',
      );
    }
    const impacted = entityMapping(t.impactedEntities, columns);
    const cap = Number(merged.maxAlertsPerRun ?? 100);
    if (!Number.isInteger(cap) || cap < 1 || cap > MAX_ALERTS_PER_RUN) {
      throw new VigilError('DETECTION_RULE_INVALID', `"maxAlertsPerRun" must be 1 to ${MAX_ALERTS_PER_RUN}`);
    }
    const rule: DetectionRule = {
      id: prior?.id ?? randomUUID(),
      name: field(merged, 'name', isString, 'a name'),
      query,
      schedule,
      enabled: merged.enabled === undefined ? true : Boolean(merged.enabled),
      alertTemplate: {
        title: field(t, 'title', isString, 'a title'),
        description: field(t, 'description', isAnyString, 'text', ''),
        severity,
        category: field(t, 'category', isString, 'a category', 'SuspiciousActivity'),
        mitreTechniques: techniques,
        recommendedAction: field(t, 'recommendedAction', isAnyString, 'text', ''),
        impactedEntities: impacted,
      },
      maxAlertsPerRun: cap,
      createdBy: prior?.createdBy ?? by,
      createdTime: prior?.createdTime ?? this.clock.now().toISOString(),
      lastRunTime: prior?.lastRunTime ?? null,
      lastRunStatus: prior?.lastRunStatus ?? null,
      lastRunError: prior?.lastRunError ?? null,
      lastRunAlerts: prior?.lastRunAlerts ?? 0,
    };
    await this.state.putDocument(COLLECTION, rule.id, rule as unknown as Record<string, unknown>);
    return rule;
  }

  async delete(id: string): Promise<boolean> {
    return this.state.deleteDocument(COLLECTION, id);
  }

  /** Rules whose next run is due now. */
  async due(): Promise<DetectionRule[]> {
    const now = this.clock.now().getTime();
    return (await this.list()).filter(
      (r) => r.enabled && (r.lastRunTime === null || now - Date.parse(r.lastRunTime) >= schedules[r.schedule].everyMs),
    );
  }

  /** Runs a rule over its look-back window and raises at most its cap of alerts; returns the alerts created. */
  async run(id: string): Promise<Alert[]> {
    const rule = await this.get(id);
    if (!rule) throw new VigilError('DETECTION_RULE_UNKNOWN', `no detection rule "${id}"`, { status: 404 });
    const now = this.clock.now();
    const since = new Date(now.getTime() - schedules[rule.schedule].lookbackMs).toISOString();
    const created: Alert[] = [];
    let status: DetectionRule['lastRunStatus'] = 'Completed';
    let error: string | null = null;
    try {
      const r = await runHunt(this.telemetry, rule.query, { now, maxRows: 10_000, timeoutMs: 600_000 });
      const rows = r.Results.filter((row) => typeof row.Timestamp === 'string' && row.Timestamp >= since);
      for (const row of rows) {
        if (created.length >= rule.maxAlertsPerRun) break;
        const mapped = impactedRow(row, rule.alertTemplate.impactedEntities ?? {});
        const device = String(mapped.DeviceId ?? mapped.DeviceName ?? '');
        const a = await this.alerts.raise(
          {
            detectorId: `detectionrule:${rule.id}`,
            title: rule.alertTemplate.title,
            description: rule.alertTemplate.description,
            severity: rule.alertTemplate.severity,
            category: rule.alertTemplate.category,
            detectionSource: 'CustomDetection',
            mitreTechniques: rule.alertTemplate.mitreTechniques,
            recommendedAction: rule.alertTemplate.recommendedAction,
            dedupKey: `detectionrule:${rule.id}:${device}:${String(row.ReportId ?? '')}`,
          },
          { table: 'DetectionRuleResult', row: mapped },
        );
        if (a?.created) created.push(a.alert);
      }
    } catch (e) {
      status = 'Failed';
      error = (e as Error).message;
    }
    const next: DetectionRule = {
      ...rule,
      lastRunTime: now.toISOString(),
      lastRunStatus: status,
      lastRunError: error,
      lastRunAlerts: created.length,
    };
    await this.state.putDocument(COLLECTION, rule.id, next as unknown as Record<string, unknown>);
    return created;
  }
}

const DEVICE_COLUMNS = ['DeviceId', 'DeviceName', 'RemoteDeviceName'];
const USER_COLUMNS = [
  'AccountSid',
  'AccountUpn',
  'AccountObjectId',
  'AccountName',
  'InitiatingProcessAccountSid',
  'InitiatingProcessAccountUpn',
  'InitiatingProcessAccountObjectId',
  'InitiatingProcessAccountName',
];

/** Checks the entity mapping: one result column per entity type, of a kind that names that entity. */
function entityMapping(
  value: unknown,
  columns: ReadonlySet<string>,
): DetectionRule['alertTemplate']['impactedEntities'] {
  if (value === undefined || value === null) {
    const device = DEVICE_COLUMNS.find((c) => columns.has(c));
    return device ? { device } : {};
  }
  const m = value as Record<string, unknown>;
  const pick = (key: 'device' | 'user', allowed: readonly string[]) => {
    const col = m[key];
    if (col === undefined) return undefined;
    if (typeof col !== 'string' || !allowed.includes(col)) {
      throw new VigilError('DETECTION_RULE_INVALID', `"impactedEntities.${key}" must be one of ${allowed.join(', ')}`);
    }
    if (!columns.has(col))
      throw new VigilError(
        'DETECTION_RULE_COLUMNS',
        `the query does not return ${col}, named in impactedEntities.${key}`,
      );
    return col;
  };
  const device = pick('device', DEVICE_COLUMNS);
  const user = pick('user', USER_COLUMNS);
  return { ...(device ? { device } : {}), ...(user ? { user } : {}) };
}

/** The result row with the mapped entity columns in the places alerts read them (DeviceId/DeviceName, Account*). */
function impactedRow(
  row: Record<string, unknown>,
  m: DetectionRule['alertTemplate']['impactedEntities'],
): Record<string, unknown> {
  const out = { ...row };
  if (m.device === 'DeviceName' || m.device === 'RemoteDeviceName') {
    out.DeviceName = row[m.device];
    if (m.device === 'RemoteDeviceName') delete out.DeviceId;
  }
  if (m.user) {
    const v = row[m.user];
    if (/Sid$/.test(m.user)) out.AccountSid = v;
    else if (/Upn$/.test(m.user)) out.AccountUpn = v;
    else if (/ObjectId$/.test(m.user)) out.AccountObjectId = v;
    else out.AccountName = v;
  }
  return out;
}

/** The query must compile and return Timestamp, ReportId and at least one entity column (Defender's rule). */
async function checkColumns(query: string): Promise<Set<string>> {
  const compiled = (await kqlCompiler()).compile(query);
  if (isCompileFailure(compiled)) throw new HuntError(compiled.stage, compiled.diagnostics);
  const names = new Set(compiled.columns.map((c) => c.name));
  const missing = ['Timestamp', 'ReportId'].filter((c) => !names.has(c));
  if (!entityColumns.some((c) => names.has(c))) missing.push(`one of ${entityColumns.join(', ')}`);
  if (missing.length > 0) {
    throw new VigilError('DETECTION_RULE_COLUMNS', `the query must return ${missing.join(' and ')}`, {
      hint: 'keep them through summarize with (Timestamp, ReportId) = arg_max(Timestamp, ReportId)',
    });
  }
  return names;
}
