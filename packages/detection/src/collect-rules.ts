import type { Diagnostic, SourceLocation } from '@vigil/base';
import { collectCorrelation } from './collect-correlation.js';
import { collectMeta } from './collect-meta.js';
import { plainYaml, type YamlDocument, type YamlNode, yamlEntry } from './read-yaml.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type {
  CollectedDetectionRule,
  CollectedRule,
  FieldItem,
  Located,
  Logsource,
  SearchIdentifier,
  StageResult,
} from './sigma-types.js';

/** Collects the rules of a file's YAML documents: metadata, logsource, search identifiers and conditions. */
export function collectRules(docs: readonly YamlDocument[]): StageResult<CollectedRule[]> {
  const diagnostics: Diagnostic[] = [];
  const rules: CollectedRule[] = [];
  for (const doc of docs) {
    if (doc.root.kind !== 'map') {
      diagnostics.push(sigmaDiagnostic('SIGMA_NOT_A_RULE', 'the document is not a YAML map', doc.location));
      continue;
    }
    const before = diagnostics.length;
    const rule = yamlEntry(doc.root, 'correlation')
      ? collectCorrelation(doc, diagnostics)
      : yamlEntry(doc.root, 'detection')
        ? collectDetection(doc, diagnostics)
        : unsupportedDocument(doc, diagnostics);
    if (rule && !diagnostics.slice(before).some((d) => d.severity === 'error')) rules.push(rule);
  }
  return { value: rules, diagnostics };
}

function unsupportedDocument(doc: YamlDocument, diagnostics: Diagnostic[]): undefined {
  const kind = yamlEntry(doc.root, 'filter') ? 'a meta filter' : 'neither a detection nor a correlation rule';
  diagnostics.push(
    sigmaDiagnostic('SIGMA_UNSUPPORTED_DOCUMENT', `the document is ${kind}`, doc.location, 'a rule needs `detection:`'),
  );
  return undefined;
}

function collectDetection(doc: YamlDocument, diagnostics: Diagnostic[]): CollectedDetectionRule | undefined {
  const meta = collectMeta(doc, diagnostics);
  const logsource = collectLogsource(doc, diagnostics);
  const detection = yamlEntry(doc.root, 'detection')?.value;
  if (detection?.kind !== 'map') {
    const at = detection?.location ?? doc.location;
    diagnostics.push(sigmaDiagnostic('SIGMA_BAD_DETECTION', '`detection` must be a map', at));
    return undefined;
  }
  const identifiers = new Map<string, SearchIdentifier>();
  const conditions: Located<string>[] = [];
  for (const entry of detection.entries) {
    if (entry.key === 'condition') conditions.push(...collectConditions(entry.value, diagnostics));
    else if (entry.key === 'timeframe') continue;
    else {
      const ident = collectIdentifier(entry.value, diagnostics);
      if (ident) identifiers.set(entry.key, ident);
    }
  }
  if (conditions.length === 0) {
    diagnostics.push(
      sigmaDiagnostic(
        'SIGMA_MISSING_CONDITION',
        'the detection has no condition',
        detection.location,
        'add `condition:`',
      ),
    );
  }
  return { kind: 'detection', file: doc.file, ...meta, logsource, identifiers, conditions, location: doc.location };
}

function collectLogsource(doc: YamlDocument, diagnostics: Diagnostic[]): Logsource {
  const node = yamlEntry(doc.root, 'logsource')?.value;
  if (node?.kind !== 'map') {
    diagnostics.push(
      sigmaDiagnostic('SIGMA_MISSING_LOGSOURCE', 'the rule has no logsource map', node?.location ?? doc.location),
    );
    return {};
  }
  const o = plainYaml(node) as Record<string, unknown>;
  const pick = (k: string) => (typeof o[k] === 'string' ? { [k]: (o[k] as string).toLowerCase() } : {});
  return { ...pick('product'), ...pick('category'), ...pick('service') };
}

function collectConditions(node: YamlNode, diagnostics: Diagnostic[]): Located<string>[] {
  if (node.kind === 'scalar' && typeof node.value === 'string') return [{ value: node.value, location: node.location }];
  if (node.kind === 'seq') return node.items.flatMap((i) => collectConditions(i, diagnostics));
  diagnostics.push(
    sigmaDiagnostic('SIGMA_BAD_CONDITION', 'a condition must be text or a list of texts', node.location),
  );
  return [];
}

function collectIdentifier(node: YamlNode, diagnostics: Diagnostic[]): SearchIdentifier | undefined {
  if (node.kind === 'map')
    return { kind: 'map', items: node.entries.map((e) => fieldItem(e.key, e.value, e.keyLocation)) };
  if (node.kind === 'scalar') {
    return {
      kind: 'keywords',
      item: { field: undefined, modifiers: [], values: [node.value], location: node.location },
    };
  }
  if (node.items.every((i) => i.kind === 'scalar')) {
    const values = node.items.map((i) => (i.kind === 'scalar' ? i.value : null));
    return { kind: 'keywords', item: { field: undefined, modifiers: [], values, location: node.location } };
  }
  const alternatives: SearchIdentifier[] = [];
  for (const item of node.items) {
    if (item.kind === 'seq') {
      diagnostics.push(
        sigmaDiagnostic('SIGMA_BAD_DETECTION', 'a list inside a list is not a Sigma search', item.location),
      );
      return undefined;
    }
    const alt = collectIdentifier(item, diagnostics);
    if (alt) alternatives.push(alt);
  }
  return { kind: 'any', alternatives };
}

function fieldItem(key: string, value: YamlNode, location: SourceLocation): FieldItem {
  const [field = '', ...modifiers] = key.split('|');
  const values =
    value.kind === 'seq' ? value.items.map(plainYaml) : value.kind === 'scalar' ? [value.value] : [plainYaml(value)];
  return { field: field === '' ? undefined : field, modifiers, values, location };
}
