/** Defender's alert model (its severities, statuses and determinations are in @vigil/protocol). */
export type { Alert, AlertComment, Detection, Evidence } from './alert.js';
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
