import type { Diagnostic } from '@vigil/base';
import { collectRules } from './collect-rules.js';
import { readYaml } from './read-yaml.js';
import type { CollectedRule, RuleSource } from './sigma-types.js';

/** The rules of one file and the diagnostics of reading and collecting it. */
export interface LoadedFile {
  readonly path: string;
  readonly rules: readonly CollectedRule[];
  readonly diagnostics: readonly Diagnostic[];
}

/** Reads and collects the rules of each file (stages 1 and 2); nothing is thrown, problems are diagnostics. */
export function loadRules(files: readonly RuleSource[]): LoadedFile[] {
  return files.map((f) => {
    const read = readYaml(f.path, f.text);
    const collected = collectRules(read.value);
    return { path: f.path, rules: collected.value, diagnostics: [...read.diagnostics, ...collected.diagnostics] };
  });
}
