import { determinations as byClassification } from '@vigil/protocol';
import type { Alert, TechniqueDetail } from '../api/types';

export { alertSeverities, alertStatuses } from '@vigil/protocol';
/** Classifications and the determinations each allows. */
export const determinations: Readonly<Record<string, readonly string[]>> = byClassification;
/** The classifications, in Defender's order. */
export const classifications = Object.keys(determinations);

/** Words of a PascalCase value: `InProgress` → `In progress`. */
export function words(value: string): string {
  const spaced = value.replace(/([a-z])([A-Z])/g, '$1 $2');
  return spaced.charAt(0) + spaced.slice(1).toLowerCase();
}

/** The techniques of an alert with names where the catalog has them. */
export function techniquesOf(alert: Alert): TechniqueDetail[] {
  const details = new Map((alert.mitreTechniqueDetails ?? []).map((d) => [d.id, d]));
  return alert.mitreTechniques.map((id) => details.get(id) ?? { id, name: null, tactics: [] });
}

/** `T1059.004 Unix Shell`, or the id alone. */
export function techniqueLabel(t: TechniqueDetail): string {
  return t.name ? `${t.id} ${t.name}` : t.id;
}

/** Evidence grouped by entity type, in order of first appearance. */
export function groupEvidence(alert: Alert): Map<string, Alert['evidence'][number][]> {
  const groups = new Map<string, Alert['evidence'][number][]>();
  for (const e of alert.evidence) {
    const list = groups.get(e.entityType) ?? [];
    list.push(e);
    groups.set(e.entityType, list);
  }
  return groups;
}

/** An ATT&CK tactic as the catalog names it (`credential-access`) for reading: `Credential access`. */
export function tacticLabel(tactic: string): string {
  const spaced = tactic.replace(/[-_]/g, ' ');
  return words(spaced.charAt(0).toUpperCase() + spaced.slice(1));
}
