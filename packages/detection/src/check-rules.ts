import type { Diagnostic } from '@vigil/base';
import { collectRules } from './collect-rules.js';
import { compileCorrelation } from './compile-correlation.js';
import { type CompiledRule, type CompileOptions, compileRule } from './compile-rule.js';
import type { Pipeline } from './pipeline.js';
import { readYaml } from './read-yaml.js';
import type { CollectedCorrelationRule, RuleSource } from './sigma-types.js';

/** The load status of one rule (or of a file that holds no readable rule). */
export interface RuleCheck {
  readonly path: string;
  readonly ruleId?: string;
  readonly title?: string;
  /** True when the rule compiled without errors (warnings allowed). */
  readonly ok: boolean;
  readonly diagnostics: readonly Diagnostic[];
}

const hasError = (ds: readonly Diagnostic[]) => ds.some((d) => d.severity === 'error');

function optional(k: 'ruleId' | 'title', v: string | undefined): Partial<RuleCheck> {
  return v === undefined || v === '' ? {} : { [k]: v };
}

interface Pending {
  readonly rule: CollectedCorrelationRule;
  readonly check: { path: string; ruleId?: string; title?: string; ok: boolean; diagnostics: Diagnostic[] };
}

function checkFile(
  file: RuleSource,
  pipelines: readonly Pipeline[],
  options: CompileOptions,
  compiled: CompiledRule[],
  pending: Pending[],
): RuleCheck[] {
  const read = readYaml(file.path, file.text);
  const out: RuleCheck[] = [];
  if (read.value.length === 0) {
    const diagnostics = read.diagnostics.length > 0 ? read.diagnostics : [emptyFile(file.path)];
    return [{ path: file.path, ok: false, diagnostics }];
  }
  for (const doc of read.value) {
    const collected = collectRules([doc]);
    const rule = collected.value[0];
    const diagnostics = [...collected.diagnostics];
    if (rule?.kind === 'detection') {
      const c = compileRule(rule, pipelines, options);
      diagnostics.push(...c.diagnostics);
      if (c.value) compiled.push(c.value);
    }
    const meta = plain(doc.root);
    const check = {
      path: file.path,
      ...optional('ruleId', rule?.id ?? meta.id),
      ...optional('title', rule?.title ?? meta.title),
      ok: rule !== undefined && !hasError(diagnostics),
      diagnostics,
    };
    if (rule?.kind === 'correlation') pending.push({ rule, check });
    out.push(check);
  }
  if (read.diagnostics.length > 0) out.push({ path: file.path, ok: false, diagnostics: read.diagnostics });
  return out;
}

function plain(root: { kind: string; entries?: readonly { key: string; value: { kind: string; value?: unknown } }[] }) {
  const get = (k: string) => {
    const v = root.entries?.find((e) => e.key === k)?.value;
    return v?.kind === 'scalar' && typeof v.value === 'string' ? v.value : undefined;
  };
  return { id: get('id'), title: get('title') };
}

function emptyFile(path: string): Diagnostic {
  return {
    code: 'SIGMA_EMPTY_FILE',
    message: 'the file holds no YAML document',
    severity: 'error',
    location: { file: path },
  };
}

/**
 * Checks rule files for `vigil rules check`: reads, collects and compiles every rule (correlations against the
 * base rules of all the files) and reports each rule's load status with its diagnostics.
 */
export function checkRules(
  files: readonly RuleSource[],
  pipelines: readonly Pipeline[] = [],
  options: CompileOptions = {},
): RuleCheck[] {
  const compiled: CompiledRule[] = [];
  const pending: Pending[] = [];
  const out = files.flatMap((f) => checkFile(f, pipelines, options, compiled, pending));
  // Correlations are resolved last, against the base rules of every file checked.
  for (const { rule, check } of pending) {
    compileCorrelation(rule, compiled, check.diagnostics);
    check.ok = check.ok && !hasError(check.diagnostics);
  }
  return out;
}
