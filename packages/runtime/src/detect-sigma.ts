import type { CorrelationState, RuleMatch, Ruleset } from '@vigil/detection';
import type { Detection } from '@vigil/incidents';
import type { AlertSeverity } from '@vigil/protocol';

/** Tables written by the server itself: never evaluated (alerts must not raise alerts). */
export const SERVER_TABLES: ReadonlySet<string> = new Set(['AlertInfo', 'AlertEvidence']);

const SEVERITY: Readonly<Record<string, AlertSeverity>> = {
  informational: 'Informational',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'High',
};

/** Defender's alert category from the rule's first ATT&CK tactic tag (`attack.credential-access` → CredentialAccess). */
export function categoryOf(tags: readonly string[]): string {
  const tactic = tags.find((t) => /^attack\.[a-z]+(-[a-z]+)*$/.test(t) && !/^attack\.(t\d|g\d|s\d)/.test(t));
  if (!tactic) return 'SuspiciousActivity';
  return tactic
    .slice('attack.'.length)
    .split('-')
    .map((w) => (w[0]?.toUpperCase() ?? '') + w.slice(1))
    .join('');
}

/** The alert facts of a Sigma match. */
export function sigmaDetection(m: RuleMatch, row: Readonly<Record<string, unknown>>): Detection {
  const group = m.correlation ? Object.values(m.correlation.group).join('|') : String(row.DeviceId ?? '');
  return {
    detectorId: `sigma:${m.ruleId}`,
    title: m.title,
    description: m.correlation
      ? `Sigma ${m.correlation.type} correlation over ${m.correlation.count} matches of ${m.correlation.ruleIds.join(', ')}`
      : `Sigma rule ${m.ruleId} (${m.file})`,
    severity: SEVERITY[m.level] ?? 'Medium',
    category: categoryOf(m.tags),
    detectionSource: 'Sigma',
    mitreTechniques: m.techniques,
    dedupKey: `sigma:${m.ruleId}:${group}`,
  };
}

/** A detection to raise as an alert, with the event that caused it. */
export interface Finding {
  readonly table: string;
  readonly row: Readonly<Record<string, unknown>>;
  readonly detection: Detection;
}

/** Evaluates rows of one table with the Sigma ruleset (correlations keep their state across calls). */
export function sigmaFindings(
  table: string,
  rows: readonly Readonly<Record<string, unknown>>[],
  ruleset: Ruleset,
  state: CorrelationState,
): Finding[] {
  const found: Finding[] = [];
  if (SERVER_TABLES.has(table)) return found;
  for (const row of rows) {
    for (const m of ruleset.evaluate({ table, row }, state)) {
      if (!m.correlationOnly) found.push({ table, row, detection: sigmaDetection(m, row) });
    }
  }
  return found;
}
