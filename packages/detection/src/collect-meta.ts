import type { Diagnostic } from '@vigil/base';
import { plainYaml, type YamlDocument, yamlEntry } from './read-yaml.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';

/** The common metadata of detection and correlation rules. */
export interface RuleMeta {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: string;
  readonly status: string | undefined;
  readonly tags: readonly string[];
}

const levels = new Set(['informational', 'low', 'medium', 'high', 'critical']);

/** Reads title, id, name, level, status and tags of a rule document. */
export function collectMeta(doc: YamlDocument, diagnostics: Diagnostic[]): RuleMeta {
  const o = plainYaml(doc.root) as Record<string, unknown>;
  const title = typeof o.title === 'string' ? o.title : '';
  if (title === '') {
    diagnostics.push(sigmaDiagnostic('SIGMA_MISSING_TITLE', 'the rule has no title', doc.location, 'add `title:`'));
  }
  const level = typeof o.level === 'string' ? o.level.toLowerCase() : 'medium';
  if (!levels.has(level)) {
    const at = yamlEntry(doc.root, 'level')?.value.location ?? doc.location;
    diagnostics.push(
      sigmaDiagnostic('SIGMA_BAD_LEVEL', `unknown level "${String(o.level)}"`, at, [...levels].join(', '), 'warning'),
    );
  }
  const tags = Array.isArray(o.tags) ? o.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    id: typeof o.id === 'string' ? o.id : undefined,
    name: typeof o.name === 'string' ? o.name : undefined,
    title,
    level,
    status: typeof o.status === 'string' ? o.status : undefined,
    tags,
  };
}
