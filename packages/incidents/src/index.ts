/** The alert model of Defender: severities, statuses, classifications with their determinations. */
export {
  type Alert,
  type AlertComment,
  type AlertSeverity,
  type AlertStatus,
  alertSeverities,
  alertStatuses,
  type Classification,
  type Detection,
  determinations,
  type Evidence,
} from './alert.js';
/** AlertInfo and AlertEvidence rows of an alert, for hunting. */
export { alertTableRows } from './alert-rows.js';
/** Raises (with deduplication), lists and triages alerts over the state store. */
export { type AlertFilter, type AlertPatch, AlertService } from './alert-service.js';
/** ATT&CK technique names and tactics from a STIX bundle, and their lookup. */
export { type AttackCatalog, parseAttackBundle, resolveTechniques, type TechniqueDetail } from './attack-catalog.js';
/** Alert evidence from an event row. */
export { evidenceFromRow } from './evidence.js';
/** Alert suppression rules and their matching. */
export { findSuppression, type SuppressionAction, type SuppressionRule } from './suppression.js';
