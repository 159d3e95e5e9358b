import type { Diagnostic } from '@vigil/base';
import type { EventPlatform } from './detection-event.js';
import { isFieldTransform } from './field-transforms.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { Logsource } from './sigma-types.js';

/**
 * How a Sigma field maps to our columns: one column, the first non-empty of several, several joined, or a named
 * transform that rebuilds the source's spelling from columns (see `fieldTransforms`).
 */
export type FieldMapping =
  | string
  | readonly string[]
  | { readonly join: readonly string[]; readonly separator: string }
  | { readonly transform: string };

/** Where the events of a logsource are: a table (or `*`), narrowed by ActionType, source, event id or platform. */
export interface PipelineTarget {
  readonly table: string;
  readonly actionTypes?: readonly string[];
  /** `evtx:<channel>` or a raw `Source` such as `linux:auditd`, compared case-insensitively. */
  readonly sources?: readonly string[];
  /** Only events whose original EventID is one of these (events without one pass). */
  readonly eventIds?: readonly (number | string)[];
  readonly platform?: EventPlatform;
}

/** One logsource of a pipeline: the tables it applies to and its Sigma field → column mapping. */
export interface LogsourceMapping {
  readonly logsource: Logsource;
  readonly targets: readonly PipelineTarget[];
  readonly fields?: Readonly<Record<string, FieldMapping>>;
  readonly description?: string;
}

/** A field-mapping pipeline, kept as data (content/pipelines/*.json). */
export interface Pipeline {
  readonly name: string;
  readonly description?: string;
  /** Field mappings shared by every logsource of this pipeline (a logsource's own mapping wins). */
  readonly fields?: Readonly<Record<string, FieldMapping>>;
  readonly logsources: readonly LogsourceMapping[];
}

/** What a rule's logsource resolves to: its targets and merged field mapping. */
export interface ResolvedLogsource {
  readonly targets: readonly PipelineTarget[];
  readonly fields: ReadonlyMap<string, FieldMapping>;
}

function covers(entry: Logsource, rule: Logsource): boolean {
  for (const k of ['product', 'category', 'service'] as const) {
    const e = entry[k];
    if (e !== undefined && e !== rule[k]) return false;
  }
  if (rule.category !== undefined && entry.category === undefined) return false;
  if (rule.service !== undefined && entry.service === undefined && entry.category === undefined) return false;
  return true;
}

/** Resolutions per pipelines list, since thousands of rules share a few dozen logsources. */
const memo = new WeakMap<readonly Pipeline[], Map<string, ResolvedLogsource | undefined>>();

/** Finds the targets and field mapping of a rule's logsource in the pipelines; undefined when none applies. */
export function resolveLogsource(pipelines: readonly Pipeline[], logsource: Logsource): ResolvedLogsource | undefined {
  let cache = memo.get(pipelines);
  if (!cache) {
    cache = new Map();
    memo.set(pipelines, cache);
  }
  const key = `${logsource.product ?? ''}|${logsource.category ?? ''}|${logsource.service ?? ''}`;
  if (cache.has(key)) return cache.get(key);
  const resolved = resolveUncached(pipelines, logsource);
  cache.set(key, resolved);
  return resolved;
}

function resolveUncached(pipelines: readonly Pipeline[], logsource: Logsource): ResolvedLogsource | undefined {
  const targets: PipelineTarget[] = [];
  const fields = new Map<string, FieldMapping>();
  for (const p of pipelines) {
    for (const entry of p.logsources) {
      if (!covers(entry.logsource, logsource)) continue;
      targets.push(...entry.targets);
      for (const [k, v] of Object.entries({ ...p.fields, ...entry.fields })) {
        if (!fields.has(k.toLowerCase())) fields.set(k.toLowerCase(), v);
      }
    }
  }
  return targets.length === 0 ? undefined : { targets, fields };
}

/** Checks pipeline data (parsed JSON) and returns it typed, with `PIPELINE_*` diagnostics for what is wrong. */
export function parsePipeline(data: unknown, file: string): { pipeline?: Pipeline; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const bad = (message: string) => {
    diagnostics.push(sigmaDiagnostic('PIPELINE_INVALID', message, { file }, 'see content/pipelines/README.md'));
    return { diagnostics };
  };
  if (typeof data !== 'object' || data === null) return bad('a pipeline must be a JSON object');
  const o = data as Record<string, unknown>;
  if (typeof o.name !== 'string') return bad('`name` must be text');
  if (!Array.isArray(o.logsources)) return bad('`logsources` must be a list');
  o.logsources.forEach((ls: unknown, i: number) => {
    const l = ls as Record<string, unknown> | null;
    if (typeof l?.logsource !== 'object' || l.logsource === null) bad(`logsources[${i}].logsource must be a map`);
    else if (!Array.isArray(l.targets) || l.targets.length === 0) bad(`logsources[${i}].targets must be a list`);
    else if (l.targets.some((t: unknown) => typeof (t as { table?: unknown })?.table !== 'string')) {
      bad(`logsources[${i}].targets: every target needs a table`);
    }
  });
  for (const name of transformNames(o)) if (!isFieldTransform(name)) bad(`unknown field transform "${name}"`);
  return diagnostics.length > 0 ? { diagnostics } : { pipeline: data as Pipeline, diagnostics };
}

function transformNames(o: Record<string, unknown>): string[] {
  const maps = [o.fields, ...(o.logsources as { fields?: unknown }[]).map((l) => l?.fields)];
  return maps.flatMap((m) =>
    typeof m === 'object' && m !== null
      ? Object.values(m).flatMap((v: unknown) => {
          const t = (v as { transform?: unknown } | null)?.transform;
          return typeof t === 'string' ? [t] : [];
        })
      : [],
  );
}
