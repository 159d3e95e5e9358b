import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatDiagnostic } from '@vigil/base';
import { readEvtxBytes } from '@vigil/evtx';
import { fromEvtxDumpJson, fromEvtxRecord, normalizeWindowsEvent, splitConcatenatedJson } from '@vigil/windows';
import { describe, expect, it } from 'vitest';
import { checkRules } from './check-rules.js';
import type { DetectionEvent } from './detection-event.js';
import { EventView } from './event-view.js';
import { type Pipeline, parsePipeline } from './pipeline.js';
import { ruleAppliesTo } from './rule-index.js';
import { compileRuleset, type Ruleset } from './ruleset.js';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const sigmaDir = join(process.env.VIGIL_CORPORA ?? join(repo, '..', 'shared', 'corpora'), 'sigma');
const haveCorpus = existsSync(join(sigmaDir, 'regression_index.jsonl'));

function loadPipelines(): Pipeline[] {
  const dir = join(repo, 'content', 'pipelines');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => {
      const p = parsePipeline(JSON.parse(readFileSync(join(dir, f), 'utf8')), f);
      if (!p.pipeline) throw new Error(p.diagnostics.map(formatDiagnostic).join('\n'));
      return p.pipeline;
    });
}

function ruleFiles(dir: string): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.yml') || name.endsWith('.yaml')) {
        out.push({ path: relative(sigmaDir, p), text: readFileSync(p, 'utf8') });
      }
    }
  };
  walk(dir);
  return out;
}

interface RegressionCase {
  readonly rule_path: string;
  readonly rule_id: string;
  readonly sample_path: string;
  readonly sample_json_path: string | null;
  readonly match_count: number | null;
  readonly test_type: string;
  readonly disabled_upstream?: boolean;
}

function sampleEvents(c: RegressionCase): DetectionEvent[] {
  const events: DetectionEvent[] = [];
  const push = (e: ReturnType<typeof fromEvtxDumpJson>) => {
    if (!e.ok) return;
    const n = normalizeWindowsEvent(e.value);
    events.push(n.original ? { table: n.table, row: n.row, original: n.original } : { table: n.table, row: n.row });
  };
  const json = c.sample_json_path ? join(sigmaDir, c.sample_json_path) : undefined;
  if (json && existsSync(json)) {
    for (const piece of splitConcatenatedJson(readFileSync(json, 'utf8')))
      if (piece.ok) push(fromEvtxDumpJson(piece.value.value));
    return events;
  }
  for (const item of readEvtxBytes(readFileSync(join(sigmaDir, c.sample_path)))) {
    if (item.kind !== 'problem') push(fromEvtxRecord(item));
  }
  return events;
}

describe.skipIf(!haveCorpus)(`Sigma corpus (skipped when ${sigmaDir} is absent)`, () => {
  const pipelines = haveCorpus ? loadPipelines() : [];

  const regression = async (read: (c: RegressionCase) => Promise<DetectionEvent[]>, label: string) => {
    const cases = readFileSync(join(sigmaDir, 'regression_index.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RegressionCase)
      .filter((c) => c.test_type === 'evtx' && !c.disabled_upstream);
    const folders = new Map<string, Ruleset>();
    const failures: string[] = [];
    for (const c of cases) {
      const folder = dirname(c.rule_path);
      let ruleset = folders.get(folder);
      if (!ruleset) {
        const files = readdirSync(join(sigmaDir, folder))
          .filter((f) => f.endsWith('.yml'))
          .map((f) => ({ path: join(folder, f), text: readFileSync(join(sigmaDir, folder, f), 'utf8') }));
        ruleset = compileRuleset(files, pipelines);
        folders.set(folder, ruleset);
      }
      const events = await read(c);
      const hits = events.filter((e) => ruleset.match(e).some((m) => m.ruleId === c.rule_id)).length;
      if (hits >= (c.match_count ?? 1)) continue;
      const loaded = ruleset.rules.some((r) => r.id === c.rule_id);
      const why = loaded
        ? `matched ${hits} of ${events.length} events (tables ${[...new Set(events.map((e) => e.table))].join(', ')})`
        : `not loaded: ${ruleset.diagnostics
            .filter((d) => d.location?.file === c.rule_path)
            .map(formatDiagnostic)
            .join('; ')}`;
      failures.push(`${c.rule_path}: ${why}`);
    }
    const passed = cases.length - failures.length;
    const rate = `${passed}/${cases.length} passed (${((100 * passed) / cases.length).toFixed(1)}%)`;
    console.log(`Sigma regression, ${label}: ${rate}`);
    for (const f of failures) console.log(`  FAIL ${f}`);
    expect(passed / cases.length).toBeGreaterThanOrEqual(0.95);
  };

  it('passes at least 95% of the Sigma regression cases (evtx_dump JSON, original fields kept)', async () => {
    await regression(async (c) => sampleEvents(c), 'evtx_dump JSON via @vigil/windows');
  });

  it('passes at least 95% of the Sigma regression cases (EVTX rows without original fields)', async () => {
    // What readTelemetry yields today: the EVTX record normalized, with `original` not passed on.
    await regression(async (c) => {
      const events: DetectionEvent[] = [];
      for (const item of readEvtxBytes(readFileSync(join(sigmaDir, c.sample_path)))) {
        if (item.kind === 'problem') continue;
        const e = fromEvtxRecord(item);
        if (!e.ok) continue;
        const n = normalizeWindowsEvent(e.value);
        events.push({ table: n.table, row: n.row });
      }
      return events;
    }, 'EVTX rows as readTelemetry yields them (no `original`)');
  });

  it('indexes and prefilters without losing a match, evaluating a small share of all rules per event', () => {
    const files = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((f) =>
      ruleFiles(join(sigmaDir, f)),
    );
    const ruleset = compileRuleset(files, pipelines);
    const cases = readFileSync(join(sigmaDir, 'regression_index.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as RegressionCase)
      .filter((c) => c.test_type === 'evtx');
    let events = 0;
    let candidates = 0;
    const lost: string[] = [];
    const skipped: string[] = [];
    // Each sample also without its original fields, as an agent would send it: the mapped columns then decide.
    const bare = (e: DetectionEvent): DetectionEvent => {
      const { AdditionalFields: _dropped, ...row } = e.row;
      return { table: e.table, row };
    };
    for (const c of cases) {
      for (const e of sampleEvents(c).flatMap((x) => [x, bare(x)])) {
        events++;
        candidates += ruleset.explain(e).candidates;
        const got = new Set(ruleset.match(e).map((m) => m.ruleId));
        // As NDJSON (original fields as AdditionalFields, an object or JSON text): a matching row is never skipped.
        const fields = e.original ?? e.row.AdditionalFields;
        for (const additional of fields === undefined ? [undefined] : [fields, JSON.stringify(fields)]) {
          const row = additional === undefined ? e.row : { ...e.row, AdditionalFields: additional };
          if (ruleset.match({ table: e.table, row }).length === 0) continue;
          const line = JSON.stringify(row);
          const finder = ruleset.lineFinder(e.table);
          // The finder reads lines as text or as UTF-8 bytes read as Latin-1 (see lineFinder).
          const bytes = Buffer.from(line).toString('latin1');
          const found = (re: RegExp) => re.test(line) && re.test(bytes);
          if (!ruleset.mayMatchLine(e.table, line) || (finder && !found(new RegExp(finder.source, 'i')))) {
            skipped.push(`${c.rule_id} ${e.table}`);
          }
        }
        const view = new EventView(e);
        for (const r of ruleset.rules) if (ruleAppliesTo(r, view) && r.matches(view) && !got.has(r.id)) lost.push(r.id);
      }
    }
    const share = candidates / events / ruleset.rules.length;
    console.log(
      `Index: ${ruleset.rules.length} rules, ${events} events, ${(candidates / events).toFixed(1)} rules evaluated per event (${(100 * share).toFixed(2)}%)`,
    );
    expect(lost).toEqual([]);
    expect(skipped).toEqual([]);
    expect(share).toBeLessThan(0.05);
  });

  it('loads at least 98% of all Sigma rules, every failure with a diagnostic code', () => {
    const folders = [
      'rules',
      'rules-emerging-threats',
      'rules-threat-hunting',
      'rules-placeholder',
      'rules-compliance',
    ];
    const files = folders.flatMap((f) => ruleFiles(join(sigmaDir, f)));
    const results = checkRules(files, pipelines);
    const failed = results.filter((r) => !r.ok);
    const byCode = new Map<string, number>();
    for (const r of failed) {
      for (const d of r.diagnostics.filter((x) => x.severity === 'error'))
        byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    }
    const warnings = new Map<string, number>();
    for (const r of results) {
      for (const d of r.diagnostics.filter((x) => x.severity === 'warning'))
        warnings.set(d.code, (warnings.get(d.code) ?? 0) + 1);
    }
    const ok = results.length - failed.length;
    console.log(`Sigma rules check: ${ok}/${results.length} loaded (${((100 * ok) / results.length).toFixed(2)}%)`);
    console.log(`  errors by code: ${JSON.stringify(Object.fromEntries(byCode))}`);
    console.log(`  warnings by code: ${JSON.stringify(Object.fromEntries(warnings))}`);
    for (const r of failed) {
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      console.log(`  FAIL ${r.path}: ${errors.map(formatDiagnostic).join('; ')}`);
    }
    expect(
      failed.every((r) => r.diagnostics.some((d) => d.severity === 'error' && /^SIGMA_[A-Z_]+$/.test(d.code))),
    ).toBe(true);
    expect(ok / results.length).toBeGreaterThanOrEqual(0.98);
  });
});
