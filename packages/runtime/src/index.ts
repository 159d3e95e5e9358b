export { type AdminOps, type IssuedView, LocalAdmin } from './admin-ops.js';
export { DataDir, type DataDirOptions, type TenantMeta } from './data-dir.js';
export { categoryOf, sigmaDetection } from './detect-sigma.js';
export {
  type DetectionRule,
  DetectionRuleService,
  entityColumns,
  MAX_ALERTS_PER_RUN,
  type Schedule,
  schedules,
} from './detection-rules.js';
export {
  formatTimespan,
  HuntError,
  type HuntOptions,
  type HuntResult,
  isCompileFailure,
  kqlCompiler,
  runHunt,
} from './hunt.js';
export { type ImportProgress, type ImportSummary, importNdjsonFiles } from './import-ndjson.js';
export { type ImportOptions, importTelemetry, type TelemetryImportSummary } from './import-telemetry.js';
export { IndicatorService, MAX_INDICATORS } from './indicator-service.js';
export { contentDir, loadPipelines, RuleLibrary, ruleFiles } from './sigma-rules.js';
export { DEFAULT_RETENTION_DAYS, Tenant, type TenantCounters } from './tenant.js';
