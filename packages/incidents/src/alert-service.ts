import { type Clock, systemClock, VigilError } from '@vigil/base';
import { type AlertStatus, alertSeverities, alertStatuses, type Classification, determinations } from '@vigil/protocol';
import type { DocumentQuery, StateStore } from '@vigil/storage';
import type { Alert, AlertComment, Detection } from './alert.js';
import { evidenceFromRow } from './evidence.js';
import { findSuppression, type SuppressionRule } from './suppression.js';

const COLLECTION = 'alerts';
const SUPPRESSIONS = 'suppressionrules';
/** A repeat within this window of an open alert's last event is counted into it. */
const DEDUP_WINDOW_MS = 24 * 3_600_000;

/** A triage change of an alert. */
export interface AlertPatch {
  readonly status?: string;
  readonly assignedTo?: string | null;
  readonly classification?: string | null;
  readonly determination?: string | null;
  readonly comment?: string;
}

/** Filters of the alert list. */
export interface AlertFilter {
  readonly severity?: readonly string[];
  readonly status?: readonly string[];
  readonly technique?: string;
  readonly machineId?: string;
  readonly limit?: number;
  readonly offset?: number;
}

function alertId(now: Date): string {
  const rand = Math.floor(Math.random() * 2 ** 31);
  return `va${now.getTime()}${String(rand).padStart(10, '0')}`;
}

/** Raises, deduplicates, lists and triages the alerts of one tenant. */
export class AlertService {
  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock = systemClock,
  ) {}

  private suppressions: Promise<SuppressionRule[]> | undefined;
  /** Alerts hidden by suppression rules since start. */
  suppressed = 0;

  /** The suppression rules (cached until they change). */
  suppressionRules(): Promise<SuppressionRule[]> {
    this.suppressions ??= this.state
      .listDocuments(SUPPRESSIONS, { orderBy: { field: 'createdTime' } })
      .then((r) => r.items as unknown as SuppressionRule[]);
    return this.suppressions;
  }

  /** Creates or replaces a suppression rule. */
  async putSuppressionRule(rule: SuppressionRule): Promise<void> {
    await this.state.putDocument(SUPPRESSIONS, rule.id, rule as unknown as Record<string, unknown>);
    this.suppressions = undefined;
  }

  async deleteSuppressionRule(id: string): Promise<boolean> {
    const done = await this.state.deleteDocument(SUPPRESSIONS, id);
    this.suppressions = undefined;
    return done;
  }

  /**
   * Raises an alert for an event, or counts it into the open alert with the same key. A matching suppression rule
   * hides the alert (returns undefined) or stores it already resolved.
   */
  async raise(
    d: Detection,
    event: { table: string; row: Readonly<Record<string, unknown>> },
  ): Promise<{ alert: Alert; created: boolean } | undefined> {
    const now = this.clock.now().toISOString();
    const eventTime = typeof event.row.Timestamp === 'string' ? event.row.Timestamp : now;
    const open = await this.state.listDocuments(COLLECTION, {
      where: { dedupKey: d.dedupKey, status: ['New', 'InProgress'] },
      orderBy: { field: 'lastEventTime', desc: true },
      limit: 1,
    });
    const existing = open.items[0] as Alert | undefined;
    if (existing && Math.abs(Date.parse(eventTime) - Date.parse(existing.lastEventTime)) <= DEDUP_WINDOW_MS) {
      const updated: Alert = {
        ...existing,
        eventCount: existing.eventCount + 1,
        // ISO-8601 UTC strings order as the times they name.
        firstEventTime: [eventTime, existing.firstEventTime].sort()[0] as string,
        lastEventTime: [eventTime, existing.lastEventTime].sort()[1] as string,
        lastUpdateTime: now,
      };
      await this.state.putDocument(COLLECTION, updated.id, updated as unknown as Record<string, unknown>);
      return { alert: updated, created: false };
    }
    const evidence = evidenceFromRow(event.table, event.row, eventTime);
    const machineId = typeof event.row.DeviceId === 'string' ? event.row.DeviceId : null;
    const suppression = findSuppression(await this.suppressionRules(), d, evidence, machineId, this.clock.now());
    if (suppression?.action === 'Hide') {
      this.suppressed++;
      return undefined;
    }
    const resolved = suppression?.action === 'Resolve';
    const alert: Alert = {
      id: alertId(this.clock.now()),
      title: d.title,
      description: d.description ?? '',
      severity: d.severity,
      status: resolved ? 'Resolved' : 'New',
      classification: resolved ? 'InformationalExpectedActivity' : null,
      determination: resolved ? 'Other' : null,
      category: d.category,
      detectionSource: d.detectionSource,
      detectorId: d.detectorId,
      mitreTechniques: d.mitreTechniques ?? [],
      recommendedAction: d.recommendedAction ?? '',
      alertCreationTime: now,
      firstEventTime: eventTime,
      lastEventTime: eventTime,
      lastUpdateTime: now,
      resolvedTime: resolved ? now : null,
      assignedTo: resolved ? `suppression rule ${suppression.name}` : null,
      machineId,
      computerDnsName: typeof event.row.DeviceName === 'string' ? event.row.DeviceName : null,
      eventCount: 1,
      dedupKey: d.dedupKey,
      evidence,
      comments: [],
    };
    await this.state.putDocument(COLLECTION, alert.id, alert as unknown as Record<string, unknown>);
    return { alert, created: true };
  }

  async get(id: string): Promise<Alert | undefined> {
    return (await this.state.getDocument(COLLECTION, id)) as Alert | undefined;
  }

  /** Alerts newest first, with filters and a page. */
  async list(f: AlertFilter = {}): Promise<{ items: Alert[]; total: number }> {
    const where: Record<string, readonly string[] | string> = {};
    if (f.severity?.length) where.severity = f.severity;
    if (f.status?.length) where.status = f.status;
    if (f.machineId) where.machineId = f.machineId;
    const query: DocumentQuery = {
      where,
      ...(f.technique ? { contains: { mitreTechniques: f.technique } } : {}),
      orderBy: { field: 'lastEventTime', desc: true },
      limit: Math.min(f.limit ?? 100, 10_000),
      offset: f.offset ?? 0,
    };
    const r = await this.state.listDocuments(COLLECTION, query);
    return { items: r.items as unknown as Alert[], total: r.total };
  }

  /** Applies a triage change; checks status, classification and determination against Defender's values. */
  async update(id: string, patch: AlertPatch, by: string): Promise<Alert> {
    const alert = await this.get(id);
    if (!alert) throw new VigilError('ALERT_UNKNOWN', `no alert "${id}"`, { status: 404 });
    const now = this.clock.now().toISOString();
    let next: Alert = { ...alert, lastUpdateTime: now };
    if (patch.status !== undefined) {
      if (!(alertStatuses as readonly string[]).includes(patch.status)) {
        throw new VigilError('ALERT_BAD_STATUS', `status must be one of ${alertStatuses.join(', ')}`);
      }
      const status = patch.status as AlertStatus;
      next = { ...next, status, resolvedTime: status === 'Resolved' ? now : null };
    }
    if (patch.assignedTo !== undefined) next = { ...next, assignedTo: patch.assignedTo };
    if (patch.classification !== undefined || patch.determination !== undefined) {
      next = { ...next, ...classify(patch.classification ?? next.classification, patch.determination ?? null) };
    }
    if (patch.comment) {
      const c: AlertComment = { comment: patch.comment, createdBy: by, createdTime: now };
      next = { ...next, comments: [...next.comments, c] };
    }
    await this.state.putDocument(COLLECTION, id, next as unknown as Record<string, unknown>);
    return next;
  }
}

function classify(
  classification: string | null,
  determination: string | null,
): Pick<Alert, 'classification' | 'determination'> {
  if (classification === null) return { classification: null, determination: null };
  const allowed = (determinations as Record<string, readonly string[]>)[classification];
  if (!allowed) {
    throw new VigilError(
      'ALERT_BAD_CLASSIFICATION',
      `classification must be one of ${Object.keys(determinations).join(', ')}`,
    );
  }
  if (determination !== null && !allowed.includes(determination)) {
    throw new VigilError(
      'ALERT_BAD_DETERMINATION',
      `determination for ${classification} must be one of ${allowed.join(', ')}`,
    );
  }
  return { classification: classification as Classification, determination };
}

export { alertSeverities };
