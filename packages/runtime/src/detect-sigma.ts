import type { CorrelationState, RuleMatch, Ruleset } from '@vigil/detection';
import type { Alert, AlertService, AlertSeverity, Detection } from '@vigil/incidents';
import type { BatchWrite } from '@vigil/storage';

/** Tables written by the server itself: never evaluated (alerts must not raise alerts). */
const SERVER_TABLES = new Set(['AlertInfo', 'AlertEvidence']);

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

/** Evaluates a stored batch with the Sigma ruleset (correlations keep their state across batches). */
export async function detectSigma(
  batch: BatchWrite,
  ruleset: Ruleset,
  state: CorrelationState,
  alerts: AlertService,
): Promise<Alert[]> {
  const created: Alert[] = [];
  for (const [table, rows] of batch.tables) {
    if (SERVER_TABLES.has(table)) continue;
    for (const row of rows) {
      for (const m of ruleset.evaluate({ table, row }, state)) {
        if (m.correlationOnly) continue;
        const r = await alerts.raise(sigmaDetection(m, row), { table, row });
        if (r?.created) created.push(r.alert);
      }
    }
  }
  return created;
}
