/** The answer of `POST /api/auth/login`. */
export interface LoginResponse {
  readonly token: string;
  readonly tenant: string;
  readonly username: string;
  readonly role: string;
  readonly expiresAt: string | null;
}

/** The answer of `GET /api/auth/me`. */
export interface Me {
  readonly tenant: string;
  readonly kind: string;
  readonly name: string;
  readonly role: string;
}

/** A machine as `GET /api/machines` returns it (Defender's machine entity, as far as Vigil knows it). */
export interface Machine {
  readonly id: string;
  readonly computerDnsName: string;
  readonly osPlatform: string | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly onboardingStatus: string;
  readonly offboardedAt: string | null;
  /** Defender's `Active`, `ImpairedCommunication` or `Inactive`, from when the device last talked to the server. */
  readonly healthStatus?: string;
  /** `Isolated`, `NotIsolated`, `IsolationPending` or `ReleasePending`, from the device's response actions. */
  readonly isolationState?: string;
}

/** One column of a hunting result. */
export interface HuntColumn {
  readonly Name: string;
  readonly Type: string;
}

/** The chart a trailing `render` asked for. */
export interface ChartHint {
  readonly type: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** The answer of `POST /api/advancedqueries/run`. */
export interface HuntResult {
  readonly Schema: readonly HuntColumn[];
  readonly Results: readonly Record<string, unknown>[];
  readonly Truncated: boolean;
  readonly Chart?: ChartHint;
  readonly QueryId?: string;
}

/** The error body every API route answers with. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly hint?: string;
    readonly line?: number;
    readonly field?: string;
    readonly details?: readonly unknown[];
  };
}

/** The answer of `GET /api/tenant`. */
export interface TenantInfo {
  readonly name: string;
  readonly retentionDays: number;
  readonly storeSizeBytes: number;
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
}

/** An ATT&CK technique of an alert, named from the tenant's catalog (`name` is null when the catalog lacks it). */
export interface TechniqueDetail {
  readonly id: string;
  readonly name: string | null;
  readonly tactics: readonly string[];
}

/** An entity an alert is about (Defender's evidence item). */
export interface Evidence {
  readonly entityType: string;
  readonly evidenceCreationTime?: string;
  readonly [field: string]: unknown;
}

/** A comment on an alert. */
export interface AlertComment {
  readonly comment: string;
  readonly createdBy: string;
  readonly createdTime: string;
}

/** An alert as `GET /api/alerts` returns it. */
export interface Alert {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: string;
  readonly status: string;
  readonly classification: string | null;
  readonly determination: string | null;
  readonly category: string;
  readonly detectionSource: string;
  readonly detectorId: string;
  readonly mitreTechniques: readonly string[];
  readonly mitreTechniqueDetails?: readonly TechniqueDetail[];
  readonly recommendedAction?: string;
  readonly alertCreationTime?: string;
  readonly firstEventTime: string;
  readonly lastEventTime: string;
  readonly machineId: string | null;
  readonly computerDnsName: string | null;
  readonly eventCount: number;
  readonly evidence: readonly Evidence[];
  readonly comments: readonly AlertComment[];
  readonly assignedTo: string | null;
}

/** The filters and page of `GET /api/alerts`. */
export interface AlertQuery {
  readonly severity?: readonly string[];
  readonly status?: readonly string[];
  readonly technique?: string;
  readonly machineId?: string;
  readonly top?: number;
  readonly skip?: number;
}

/** Triage of `PATCH /api/alerts/{id}`. */
export interface AlertUpdate {
  readonly status?: string;
  readonly assignedTo?: string | null;
  readonly classification?: string | null;
  readonly determination?: string | null;
  readonly comment?: string;
}

/** A custom indicator. */
export interface Indicator {
  readonly id: string;
  readonly indicatorType: string;
  readonly indicatorValue: string;
  readonly action: string;
  readonly title?: string;
  readonly description?: string;
  readonly severity?: string;
  readonly mitreTechniques?: readonly string[];
  readonly expirationTime?: string | null;
  readonly creationTimeDateTimeUtc?: string;
  readonly [field: string]: unknown;
}

/** The body of `POST /api/indicators`. */
export interface IndicatorInput {
  readonly indicatorType: string;
  readonly indicatorValue: string;
  readonly action: string;
  readonly title: string;
  readonly description?: string;
  readonly severity?: string;
  readonly expirationTime?: string;
  readonly generateAlert?: boolean;
}

/** The answer of `POST /api/indicators/import`. */
export interface IndicatorImportResult {
  readonly value: readonly Indicator[];
  readonly failed: number;
  readonly problems: readonly unknown[];
}

/** The body of `POST /api/detectionrules`. */
export interface DetectionRuleInput {
  readonly name: string;
  readonly query: string;
  readonly schedule: string;
  readonly alertTemplate: {
    readonly title: string;
    readonly severity: string;
    readonly category: string;
    readonly mitreTechniques: readonly string[];
    readonly description?: string;
  };
}

/** A stored detection rule. */
export interface DetectionRule extends DetectionRuleInput {
  readonly id: string;
  readonly enabled?: boolean;
  readonly createdBy?: string;
  readonly createdTime?: string;
  readonly lastRunTime?: string | null;
  readonly lastRunStatus?: 'Completed' | 'Failed' | null;
  readonly lastRunError?: string | null;
  readonly lastRunAlerts?: number;
  readonly [field: string]: unknown;
}

/** A Sigma rule evaluated at ingest, as `GET /api/rules` lists it. */
export interface SigmaRule {
  readonly id: string;
  readonly title: string;
  readonly level: string | null;
  readonly techniques: readonly string[];
  readonly file: string;
  /** False when no pipeline maps the rule's logsource: it loads but can never fire. */
  readonly mapped: boolean;
}

/** A problem found while loading the rule files. */
export interface RuleDiagnostic {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly file: string | null;
  readonly line: number | null;
  readonly message: string;
}

/** The answer of `GET /api/rules`. */
export interface RuleList {
  readonly value: readonly SigmaRule[];
  readonly total: number;
  readonly folders: readonly string[];
  readonly correlations: number;
  readonly diagnostics: readonly RuleDiagnostic[];
}

/** The search and page of `GET /api/rules`. */
export interface RuleQuery {
  readonly q?: string;
  readonly top?: number;
  readonly skip?: number;
}

/** A hunting query saved on the server: private to its owner, or shared with the whole tenant. */
export interface SavedQuery {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  readonly description: string;
  readonly shared: boolean;
  readonly owner: string;
  readonly createdTime: string;
  readonly lastUpdatedTime: string;
  readonly lastUpdatedBy: string;
}

/** The body of `POST /api/queries` and `PUT /api/queries/{id}` (a PUT may leave fields out). */
export interface SavedQueryInput {
  readonly name?: string;
  readonly query?: string;
  readonly description?: string;
  readonly shared?: boolean;
}

/** The fields of `PATCH /api/indicators/{id}` that the portal edits (type and value identify an indicator). */
export interface IndicatorPatch {
  readonly action?: string;
  readonly severity?: string;
  readonly title?: string;
  readonly description?: string;
  readonly expirationTime?: string | null;
}
