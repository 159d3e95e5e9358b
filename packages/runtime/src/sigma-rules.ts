import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VigilError } from '@vigil/base';
import { compileRuleset, type Pipeline, parsePipeline, type RuleSource, type Ruleset } from '@vigil/detection';

/** The field-mapping pipelines and our own rules, shipped as data in content/. */
export const contentDir = fileURLToPath(new URL('../../../content/', import.meta.url));

/** Loads every pipeline of a folder (default: content/pipelines); a bad pipeline is an error naming the file. */
export function loadPipelines(dir = join(contentDir, 'pipelines')): Pipeline[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const r = parsePipeline(JSON.parse(readFileSync(file, 'utf8')), file);
      if (!r.pipeline) {
        throw new VigilError('PIPELINE_INVALID', `${file}: ${r.diagnostics[0]?.message ?? 'not a pipeline'}`, {
          details: r.diagnostics,
        });
      }
      return r.pipeline;
    });
}

/** Every Sigma rule file (`.yml`, `.yaml`) under the given files and folders, recursively, sorted. */
export function ruleFiles(paths: readonly string[]): RuleSource[] {
  const out: string[] = [];
  const walk = (p: string) => {
    if (!existsSync(p)) throw new VigilError('RULES_NO_SUCH_PATH', `${p} does not exist`);
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(join(p, n));
    else if (['.yml', '.yaml'].includes(extname(p).toLowerCase())) out.push(p);
  };
  for (const p of paths) walk(p);
  return out.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/**
 * The Sigma rules a data dir runs at ingest: Vigil's bundled rules plus the folders the admin added with
 * `vigil rules add DIR` (listed in DATA/rules.json). The ruleset is rebuilt when that list changes, so rule
 * changes apply without a restart.
 */
export class RuleLibrary {
  private cached: { stamp: string; ruleset: Ruleset } | undefined;

  constructor(private readonly root: string) {}

  private listFile(): string {
    return join(this.root, 'rules.json');
  }

  /** The rule folders the admin added. */
  folders(): string[] {
    const file = this.listFile();
    return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { folders: string[] }).folders : [];
  }

  /** Adds a folder of Sigma rules; returns how many rule files it holds. */
  add(dir: string): { folder: string; files: number } {
    const folder = resolve(dir);
    const files = ruleFiles([folder]).length;
    const folders = [...new Set([...this.folders(), folder])];
    writeFileSync(this.listFile(), `${JSON.stringify({ folders }, null, 2)}\n`);
    return { folder, files };
  }

  /** Removes a folder from the list. */
  remove(dir: string): boolean {
    const folder = resolve(dir);
    const folders = this.folders();
    if (!folders.includes(folder)) return false;
    writeFileSync(this.listFile(), `${JSON.stringify({ folders: folders.filter((f) => f !== folder) }, null, 2)}\n`);
    return true;
  }

  /** The compiled ruleset (cached until the folder list changes). */
  ruleset(): Ruleset {
    const file = this.listFile();
    const stamp = existsSync(file) ? String(statSync(file).mtimeMs) : 'none';
    if (this.cached?.stamp === stamp) return this.cached.ruleset;
    const sources = ruleFiles([join(contentDir, 'rules'), ...this.folders().filter((f) => existsSync(f))]);
    const ruleset = compileRuleset(sources, loadPipelines());
    this.cached = { stamp, ruleset };
    return ruleset;
  }
}
