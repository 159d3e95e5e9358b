import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { VigilError } from '@vigil/base';

/** The file extensions the importer reads. */
export const importExtensions = ['.evtx', '.json', '.jsonl', '.ndjson', '.zip', '.xml', '.log'] as const;

/** Expands paths into files: folders recursively (only files with a known extension), files as given. */
export function listInputs(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (p: string, explicit: boolean) => {
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(p);
    } catch {
      throw new VigilError('IMPORT_NO_SUCH_PATH', `${p} does not exist`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) walk(join(p, name), false);
    } else if (explicit || (importExtensions as readonly string[]).includes(extname(p).toLowerCase())) {
      out.push(p);
    }
  };
  for (const p of paths) walk(p, true);
  return out;
}
