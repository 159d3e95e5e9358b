import type { Diagnostic } from '@vigil/base';
import { allOf, anyOf, compileCondition } from './compile-condition.js';
import type { CompileContext, CompiledTest } from './compile-context.js';
import { compileFieldItem } from './compile-field-item.js';
import type { EventView } from './event-view.js';
import { type FieldAccessor, fieldAccessor } from './field-accessor.js';
import { parseCondition } from './parse-condition.js';
import { type Pipeline, type PipelineTarget, resolveLogsource } from './pipeline.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { CollectedDetectionRule, SearchIdentifier, StageResult } from './sigma-types.js';

/** A detection rule ready to evaluate. */
export interface CompiledRule {
  readonly id: string;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: string;
  readonly tags: readonly string[];
  /** ATT&CK technique ids from `attack.tNNNN[.NNN]` tags, upper case. */
  readonly techniques: readonly string[];
  readonly file: string;
  /** Where the rule applies; empty when its logsource is not mapped (it then never fires). */
  readonly targets: readonly PipelineTarget[];
  /** One of these lower-case literals occurs in every matching event; null when no such literal is known. */
  readonly literals: readonly string[] | null;
  readonly matches: (view: EventView) => boolean;
  /** Reads a Sigma field of an event the way this rule's logsource maps it (for correlation group-by). */
  readonly field: (name: string) => FieldAccessor;
}

/** Options of rule compilation. */
export interface CompileOptions {
  /** Values of `%name%` placeholders used by the `expand` modifier. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
}

/** ATT&CK technique ids of a rule's tags (`attack.t1059.001` → `T1059.001`). */
export function attackTechniques(tags: readonly string[]): string[] {
  return tags.flatMap((t) => {
    const m = /^attack\.(t\d{4}(?:\.\d{3})?)$/i.exec(t);
    return m?.[1] ? [m[1].toUpperCase()] : [];
  });
}

function compileIdentifier(ident: SearchIdentifier, ctx: CompileContext): CompiledTest | undefined {
  if (ident.kind === 'keywords') return compileFieldItem(ident.item, ctx);
  const parts: CompiledTest[] = [];
  const list = ident.kind === 'map' ? ident.items : ident.alternatives;
  for (const x of list) {
    const t = 'field' in x ? compileFieldItem(x, ctx) : compileIdentifier(x, ctx);
    if (!t) return undefined;
    parts.push(t);
  }
  if (ident.kind === 'map') return allOf(parts);
  return parts.length === 0 ? undefined : anyOf(parts);
}

/** Compiles a collected detection rule against the pipelines; errors make it unusable, warnings do not. */
export function compileRule(
  rule: CollectedDetectionRule,
  pipelines: readonly Pipeline[],
  options: CompileOptions = {},
): StageResult<CompiledRule | undefined> {
  const diagnostics: Diagnostic[] = [];
  const resolved = resolveLogsource(pipelines, rule.logsource);
  if (!resolved) {
    diagnostics.push(
      sigmaDiagnostic(
        'SIGMA_UNMAPPED_LOGSOURCE',
        `no pipeline maps logsource ${JSON.stringify(rule.logsource)}; the rule loads but cannot fire`,
        rule.location,
        'add the logsource to a pipeline under content/pipelines/',
        'warning',
      ),
    );
  }
  const fields = resolved?.fields ?? new Map();
  const ctx: CompileContext = {
    fields,
    placeholders: new Map(Object.entries(options.placeholders ?? {})),
    diagnostics,
  };
  const identifiers = new Map<string, CompiledTest>();
  for (const [name, ident] of rule.identifiers) {
    // A failed identifier already has its diagnostic; a stand-in keeps the condition from reporting it again.
    identifiers.set(name, compileIdentifier(ident, ctx) ?? { test: () => false, literals: null });
  }
  const conditions: CompiledTest[] = [];
  for (const c of rule.conditions) {
    const parsed = parseCondition(c.value, c.location);
    diagnostics.push(...parsed.diagnostics);
    const t = parsed.node && compileCondition(parsed.node, identifiers, c.location, diagnostics);
    if (t) conditions.push(t);
  }
  if (diagnostics.some((d) => d.severity === 'error') || conditions.length === 0) {
    return { value: undefined, diagnostics };
  }
  const top = anyOf(conditions);
  return {
    value: {
      id: rule.id ?? rule.name ?? `${rule.file}#${rule.title}`,
      name: rule.name,
      title: rule.title,
      level: rule.level,
      tags: rule.tags,
      techniques: attackTechniques(rule.tags),
      file: rule.file,
      targets: resolved?.targets ?? [],
      literals: top.literals,
      matches: top.test,
      field: (name) => fieldAccessor(name, fields.get(name.toLowerCase())),
    },
    diagnostics,
  };
}
