import type { Diagnostic, SourceLocation } from '@vigil/base';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { StageResult } from './sigma-types.js';

/** A YAML node with its source location, independent of the YAML library. */
export type YamlNode =
  | { readonly kind: 'map'; readonly entries: readonly YamlEntry[]; readonly location: SourceLocation }
  | { readonly kind: 'seq'; readonly items: readonly YamlNode[]; readonly location: SourceLocation }
  | { readonly kind: 'scalar'; readonly value: unknown; readonly location: SourceLocation };

/** One key/value pair of a YAML map; keys are kept as text. */
export interface YamlEntry {
  readonly key: string;
  readonly keyLocation: SourceLocation;
  readonly value: YamlNode;
}

/** One YAML document of a file (Sigma correlation files hold several, separated by `---`). */
export interface YamlDocument {
  readonly file: string;
  readonly root: YamlNode;
  readonly location: SourceLocation;
}

/**
 * Reads every document of a YAML text, keeping line and column of each node. Syntax errors become
 * `SIGMA_YAML_SYNTAX` diagnostics; documents with errors are left out, the others are still returned.
 */
export function readYaml(file: string, text: string): StageResult<YamlDocument[]> {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const out: YamlDocument[] = [];
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  let docs: ReturnType<typeof parseAllDocuments>;
  try {
    docs = parseAllDocuments(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { value: [], diagnostics: [syntax(message, { file })] };
  }
  const list = Array.isArray(docs) ? docs : [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) diagnostics.push(syntax(e.message.split('\n')[0] ?? e.message, at(e.pos[0])));
      continue;
    }
    if (doc.contents === null) continue;
    out.push({ file, root: convert(doc.contents as Node, at), location: at(doc.range?.[0]) });
  }
  return { value: out, diagnostics };
}

function syntax(message: string, location: SourceLocation): Diagnostic {
  return {
    code: 'SIGMA_YAML_SYNTAX',
    message: `YAML syntax error: ${message}`,
    severity: 'error',
    location,
    hint: 'check indentation and quoting; values with `: ` or a leading `*` need quotes',
  };
}

function convert(node: Node, at: (offset: number | undefined) => SourceLocation): YamlNode {
  const location = at(node.range?.[0]);
  if (isMap(node)) {
    const entries: YamlEntry[] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
      const keyLocation = keyNode ? at(keyNode.range?.[0]) : location;
      const valueNode = pair.value as Node | null;
      const value: YamlNode = valueNode
        ? convert(valueNode, at)
        : { kind: 'scalar', value: null, location: keyLocation };
      entries.push({ key, keyLocation, value });
    }
    return { kind: 'map', entries, location };
  }
  if (isSeq(node)) {
    return { kind: 'seq', items: node.items.map((i) => convert(i as Node, at)), location };
  }
  if (isScalar(node)) return { kind: 'scalar', value: scalarValue(node), location };
  return { kind: 'scalar', value: null, location };
}

/** Numbers keep their written form when it differs (`0x1410` stays text, as the event logs it). */
function scalarValue(node: Node & { value: unknown; source?: unknown }): unknown {
  const v = node.value;
  if (typeof v === 'number' && typeof node.source === 'string' && node.source !== String(v)) return node.source;
  return v;
}

/** Converts a located node back to plain data (maps to objects, sequences to arrays). */
export function plainYaml(node: YamlNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plainYaml);
  const o: Record<string, unknown> = {};
  for (const e of node.entries) o[e.key] = plainYaml(e.value);
  return o;
}

/** The entry of a map node with the given key, if any. */
export function yamlEntry(node: YamlNode, key: string): YamlEntry | undefined {
  return node.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}
