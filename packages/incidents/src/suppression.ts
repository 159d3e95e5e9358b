import type { Detection, Evidence } from './alert.js';

/** What a matching suppression rule does to a new alert: hide it (not stored) or store it already resolved. */
export type SuppressionAction = 'Hide' | 'Resolve';

/** An alert suppression rule: a detector or title, optional evidence conditions, an optional device scope. */
export interface SuppressionRule {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  readonly action: SuppressionAction;
  /** Matches alerts of this detector (`indicator:…`, `detectionrule:…`, `sigma:…`) … */
  readonly detectorId?: string;
  /** … or with this exact title. */
  readonly title?: string;
  /** Every condition must hold for one evidence entity of the alert (case-insensitive equality). */
  readonly conditions: readonly { readonly entityType: string; readonly field: string; readonly value: string }[];
  /** When set, only alerts of these devices. */
  readonly machineIds?: readonly string[];
  readonly expirationTime: string | null;
  readonly createdBy: string;
  readonly createdTime: string;
}

/** The first enabled, unexpired rule that matches an alert about to be raised, if any. */
export function findSuppression(
  rules: readonly SuppressionRule[],
  d: Detection,
  evidence: readonly Evidence[],
  machineId: string | null,
  now: Date,
): SuppressionRule | undefined {
  return rules.find((r) => {
    if (!r.enabled) return false;
    if (r.expirationTime && Date.parse(r.expirationTime) <= now.getTime()) return false;
    if (r.detectorId && r.detectorId !== d.detectorId) return false;
    if (r.title && r.title !== d.title) return false;
    if (!r.detectorId && !r.title) return false;
    if (r.machineIds?.length && (!machineId || !r.machineIds.includes(machineId))) return false;
    return r.conditions.every((c) =>
      evidence.some(
        (e) => e.entityType === c.entityType && String(e[c.field] ?? '').toLowerCase() === c.value.toLowerCase(),
      ),
    );
  });
}
