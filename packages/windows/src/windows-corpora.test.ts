// Conformance over the real third-party corpora in shared/corpora (see its README): the Sigma regression events
// (evtx_dump JSON) and the OTRF Security-Datasets host logs (NXLog and newer JSON lines in zips).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '@vigil/base';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { fromEvtxDumpJson } from './from-evtx-dump-json.js';
import { fromSecurityDatasetsJson } from './from-security-datasets-json.js';
import { type CoverageItem, formatMappingCoverage, mappingCoverage } from './mapping-coverage.js';
import { normalizeWindowsEvent } from './normalize-windows-event.js';
import { rowTypeProblems } from './row-type-problems.js';
import { splitConcatenatedJson } from './split-concatenated-json.js';
import type { WindowsEventResult } from './windows-event.js';

const corpora = process.env.VIGIL_CORPORA ?? fileURLToPath(new URL('../../../../shared/corpora', import.meta.url));
const sigmaDir = join(corpora, 'sigma', 'regression_data');
const datasetsDir = join(corpora, 'security-datasets');
const present = existsSync(sigmaDir) && existsSync(join(datasetsDir, 'manifest.jsonl'));

interface Manifest {
  readonly files: readonly {
    readonly path: string;
    readonly members: readonly { readonly member: string; readonly records: number }[];
  }[];
}

/** Adapts and normalizes every object of a text, collecting coverage, problems and invalid rows. */
class Run {
  readonly items: CoverageItem[] = [];
  readonly problems: string[] = [];
  readonly invalidRows: string[] = [];
  junk = 0;
  adapted = 0;

  feed(text: string, where: string, adapt: (obj: unknown) => WindowsEventResult): void {
    for (const piece of splitConcatenatedJson(text)) {
      if (!piece.ok) {
        this.report(where, piece.error);
        continue;
      }
      const r = adapt(piece.value.value);
      if (!r.ok) {
        if (r.error.code === 'WINDOWS_JUNK_ENTRY') this.junk++;
        else this.report(`${where}:${piece.value.line}`, r.error);
        continue;
      }
      this.adapted++;
      const out = normalizeWindowsEvent(r.value);
      if (out.problem) this.report(`${where}:${piece.value.line}`, out.problem);
      const invalid = rowTypeProblems(out.table, out.row);
      if (invalid.length > 0 && this.invalidRows.length < 20) this.invalidRows.push(`${where}: ${invalid.join('; ')}`);
      this.items.push({ table: out.table, channel: r.value.channel, eventId: r.value.eventId });
    }
  }

  private report(where: string, d: Diagnostic): void {
    if (this.problems.length < 20) this.problems.push(`${where}: ${d.code} ${d.message}`);
  }
}

function* jsonFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* jsonFiles(path);
    else if (entry.name.endsWith('.json')) yield path;
  }
}

describe.skipIf(!present)(`Windows corpora at ${corpora} (skipped when absent: set VIGIL_CORPORA)`, () => {
  it('adapts and normalizes every Sigma regression event', () => {
    const run = new Run();
    let files = 0;
    for (const file of jsonFiles(sigmaDir)) {
      files++;
      run.feed(readFileSync(file, 'utf8'), file.slice(sigmaDir.length + 1), fromEvtxDumpJson);
    }
    console.log(`Sigma regression data: ${files} files\n${formatMappingCoverage(mappingCoverage(run.items))}`);
    expect(files).toBeGreaterThan(100);
    expect(run.problems).toEqual([]);
    expect(run.invalidRows).toEqual([]);
    expect(run.junk).toBe(0);
    expect(run.adapted).toBeGreaterThanOrEqual(files);
  });

  it('accounts for every Security-Datasets record as an event or a junk entry', { timeout: 180_000 }, () => {
    const manifest = readFileSync(join(datasetsDir, 'manifest.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Manifest);
    const run = new Run();
    const mismatches: string[] = [];
    const decoder = new TextDecoder();
    let expected = 0;
    for (const file of manifest.flatMap((m) => m.files)) {
      // __MACOSX/._x members are macOS resource forks, not JSON; the manifest counts 0 records for them.
      const zip = unzipSync(readFileSync(join(datasetsDir, file.path)), {
        filter: (f) => !f.name.startsWith('__MACOSX/'),
      });
      for (const { member, records } of file.members) {
        expected += records;
        const data = zip[member];
        if (data === undefined) {
          if (records > 0) mismatches.push(`${file.path}: member ${member} is missing`);
          continue;
        }
        const before = run.adapted + run.junk;
        run.feed(decoder.decode(data), `${file.path}!${member}`, fromSecurityDatasetsJson);
        const counted = run.adapted + run.junk - before;
        if (counted !== records) mismatches.push(`${member}: ${counted} events and junk entries, manifest ${records}`);
      }
    }
    console.log(
      `Security-Datasets: ${run.adapted} events, ${run.junk} junk entries\n` +
        formatMappingCoverage(mappingCoverage(run.items), 30),
    );
    expect(mismatches).toEqual([]);
    expect(run.problems).toEqual([]);
    expect(run.invalidRows).toEqual([]);
    expect(run.adapted + run.junk).toBe(expected);
  });
});
