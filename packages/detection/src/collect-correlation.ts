import type { Diagnostic } from '@vigil/base';
import { collectMeta } from './collect-meta.js';
import { plainYaml, type YamlDocument, yamlEntry } from './read-yaml.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { CollectedCorrelationRule, CorrelationType, CountCondition } from './sigma-types.js';

const correlationTypes: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];
const units: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses a Sigma timespan such as `30s`, `5m`, `1h`, `2d` into milliseconds. */
export function parseTimespan(text: string): number | undefined {
  const m = /^\s*(\d+)\s*([smhdw])\s*$/i.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * (units[(m[2] ?? 's').toLowerCase()] ?? 0);
}

/** Collects a Sigma v2 correlation rule (`correlation:` section). */
export function collectCorrelation(doc: YamlDocument, diagnostics: Diagnostic[]): CollectedCorrelationRule | undefined {
  const meta = collectMeta(doc, diagnostics);
  const section = yamlEntry(doc.root, 'correlation')?.value;
  if (section?.kind !== 'map') {
    diagnostics.push(sigmaDiagnostic('SIGMA_BAD_CORRELATION', '`correlation` must be a map', doc.location));
    return undefined;
  }
  const c = plainYaml(section) as Record<string, unknown>;
  const at = (k: string) => yamlEntry(section, k)?.value.location ?? section.location;
  const type = correlationTypes.find((t) => t === c.type);
  if (!type) {
    diagnostics.push(
      sigmaDiagnostic(
        'SIGMA_UNKNOWN_CORRELATION_TYPE',
        `unknown correlation type "${String(c.type)}"`,
        at('type'),
        correlationTypes.join(', '),
      ),
    );
    return undefined;
  }
  const rules = toStrings(c.rules);
  if (rules.length === 0) {
    diagnostics.push(sigmaDiagnostic('SIGMA_BAD_CORRELATION', 'the correlation names no rules', at('rules')));
  }
  const span = c.timespan ?? c.timeframe;
  const timespanMs = typeof span === 'string' ? parseTimespan(span) : undefined;
  if (timespanMs === undefined) {
    diagnostics.push(
      sigmaDiagnostic('SIGMA_BAD_TIMESPAN', `bad timespan "${String(span)}"`, at('timespan'), 'like 30s, 5m, 1h or 2d'),
    );
  }
  const condition = countCondition(type, c.condition, at('condition'), diagnostics);
  return {
    kind: 'correlation',
    file: doc.file,
    ...meta,
    type,
    rules,
    groupBy: toStrings(c['group-by']),
    timespanMs: timespanMs ?? 0,
    condition,
    aliases: aliases(c.aliases),
    generate: c.generate === true,
    location: doc.location,
  };
}

function toStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function countCondition(
  type: CorrelationType,
  raw: unknown,
  location: Diagnostic['location'] & object,
  diagnostics: Diagnostic[],
): CountCondition {
  if (raw === undefined && (type === 'temporal' || type === 'temporal_ordered')) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    diagnostics.push(sigmaDiagnostic('SIGMA_BAD_CORRELATION', 'the condition must be a map like {gte: 10}', location));
    return {};
  }
  const out: Record<string, number | string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'field' && typeof v === 'string') out.field = v;
    else if (['gt', 'gte', 'lt', 'lte', 'eq'].includes(k) && typeof v === 'number') out[k] = v;
    else {
      diagnostics.push(
        sigmaDiagnostic(
          'SIGMA_BAD_CORRELATION',
          `unknown condition key "${k}"`,
          location,
          'gt, gte, lt, lte, eq, field',
        ),
      );
    }
  }
  if (type === 'value_count' && typeof out.field !== 'string') {
    diagnostics.push(sigmaDiagnostic('SIGMA_BAD_CORRELATION', 'value_count needs `condition.field`', location));
  }
  return out as CountCondition;
}

function aliases(raw: unknown): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (typeof raw !== 'object' || raw === null) return out;
  for (const [alias, perRule] of Object.entries(raw)) {
    if (typeof perRule !== 'object' || perRule === null) continue;
    const m = new Map<string, string>();
    for (const [rule, field] of Object.entries(perRule)) if (typeof field === 'string') m.set(rule, field);
    out.set(alias, m);
  }
  return out;
}
