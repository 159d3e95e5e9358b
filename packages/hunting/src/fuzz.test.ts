import { existsSync, readFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { tables } from '@vigil/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompiledQuery, type CompileFailure, KqlCompiler } from './compile-kql.js';
import { duckdbDialect } from './duckdb-dialect.js';
import {
  deepQueries,
  IDENT_TEMPLATES,
  kqlIdent,
  kqlString,
  LITERAL_TEMPLATES,
  MARKER,
  mutate,
  PAYLOADS,
  prng,
  tokenSoup,
} from './fuzz-queries.js';
import { loadKusto } from './kusto-bridge.js';

const CORPUS = '/work/shared/corpora/kql-m365d-hunting-queries/queries.jsonl';
const TABLES: ReadonlySet<string> = new Set(tables.map((t) => t.name));
/** Table functions that read no storage; any other (read_csv, duckdb_tables, …) is a leak. */
const SAFE_TABLE_FUNCTIONS = new Set(['unnest', 'range', 'generate_series']);
const NOW = new Date('2026-11-29T00:00:00Z');

interface Case {
  readonly kind: 'literal' | 'ident' | 'soup' | 'deep' | 'corpus';
  readonly text: string;
}

function cases(): Case[] {
  const rand = prng(20261129);
  const out: Case[] = [];
  for (const t of LITERAL_TEMPLATES) for (const p of PAYLOADS) out.push({ kind: 'literal', text: t(kqlString(p)) });
  for (const t of IDENT_TEMPLATES)
    for (const p of PAYLOADS.slice(0, 9)) out.push({ kind: 'ident', text: t(kqlIdent(p)) });
  for (const text of deepQueries()) out.push({ kind: 'deep', text });
  const random: Case[] = [];
  for (let i = 0; i < 1000; i++) random.push({ kind: 'soup', text: tokenSoup(rand) });
  if (existsSync(CORPUS)) {
    const queries = readFileSync(CORPUS, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => (JSON.parse(l) as { query: string }).query);
    for (let i = 0; i < 300; i++) {
      const q = queries[Math.floor(rand() * queries.length)] as string;
      random.push({ kind: 'corpus', text: mutate(q, rand) });
    }
  }
  // Random cases interleaved, so that a run cut short by the time budget still covers every kind.
  for (let i = random.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [random[i], random[j]] = [random[j] as Case, random[i] as Case];
  }
  return [...out, ...random];
}

/** Every table a parsed statement reads: base tables, CTE names and table functions. */
function references(node: unknown, found: { bases: Set<string>; ctes: Set<string>; fns: Set<string> }): void {
  if (Array.isArray(node)) {
    for (const n of node) references(n, found);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.type === 'BASE_TABLE') found.bases.add(`${o.catalog_name}|${o.schema_name}|${o.table_name}`);
  if (o.type === 'TABLE_FUNCTION') {
    const fn = o.function as { function_name?: string } | undefined;
    found.fns.add(fn?.function_name ?? '?');
  }
  const cteMap = o.cte_map as { map?: { key: string }[] } | undefined;
  for (const e of cteMap?.map ?? []) found.ctes.add(e.key);
  for (const v of Object.values(o)) references(v, found);
}

/** The adversarial cases always run; the random ones run until this budget is spent (a loaded machine is slower). */
const BUDGET_MS = 12_000;

// About 1,700 queries at a few milliseconds each (Kusto's binder dominates), bounded by BUDGET_MS.
describe('safety fuzz: compile never throws, SQL reads only hunting tables, user text only in parameters', () => {
  let compiler: KqlCompiler;
  let run: (sql: string) => Promise<string>;

  beforeAll(async () => {
    compiler = new KqlCompiler(await loadKusto(tables), tables, duckdbDialect);
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    run = async (sql) =>
      String((await conn.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql])).getRows()[0]?.[0]);
  });

  it('holds for seeded random and adversarial queries', async () => {
    const all = cases();
    const started = Date.now();
    const stats = { ok: 0, failed: 0 };
    const byKind: Record<string, number> = {};
    let checked = 0;
    for (const c of all) {
      if (c.kind !== 'literal' && c.kind !== 'ident' && c.kind !== 'deep' && Date.now() - started > BUDGET_MS) break;
      checked++;
      const t0 = Date.now();
      let r: CompiledQuery | CompileFailure;
      try {
        r = compiler.compile(c.text, { now: NOW });
      } catch (e) {
        throw new Error(`compile threw on ${JSON.stringify(c.text.slice(0, 300))}: ${String(e)}`);
      }
      byKind[c.kind] = (byKind[c.kind] ?? 0) + Date.now() - t0;
      const where = `${c.kind}: ${JSON.stringify(c.text.slice(0, 300))}`;
      if ('stage' in r) {
        stats.failed++;
        expect(r.diagnostics.length, where).toBeGreaterThan(0);
        for (const d of r.diagnostics) {
          expect(d.code, where).toMatch(/^[A-Z][A-Z0-9_]+$/);
          expect(d.location?.line, where).toBeGreaterThanOrEqual(1);
          expect(d.location?.column, where).toBeGreaterThanOrEqual(1);
          expect(d.hint?.length ?? 0, where).toBeGreaterThan(0);
        }
        continue;
      }
      stats.ok++;
      if (c.kind !== 'ident') expect(r.sql.includes(MARKER), `user text in SQL: ${where}`).toBe(false);
      const parsed = JSON.parse(await run(r.sql)) as { error: boolean; error_message?: string; statements?: unknown[] };
      expect(parsed.error ? parsed.error_message : '', where).toBe('');
      expect(parsed.statements?.length, where).toBe(1);
      const found = { bases: new Set<string>(), ctes: new Set<string>(), fns: new Set<string>() };
      references(parsed.statements, found);
      for (const b of found.bases) {
        const [catalog, schema, name = ''] = b.split('|');
        expect(catalog === '' && schema === '' && (TABLES.has(name) || found.ctes.has(name)), `${b} in ${where}`).toBe(
          true,
        );
      }
      for (const f of found.fns) expect(SAFE_TABLE_FUNCTIONS.has(f), `${f} in ${where}`).toBe(true);
    }
    // Every adversarial case ran; how many random ones did depends on the machine's load.
    expect(checked).toBeGreaterThanOrEqual(all.filter((c) => c.kind !== 'soup' && c.kind !== 'corpus').length);
    expect(stats.ok).toBeGreaterThan(100);
    console.info(
      `fuzz: ${checked} of ${all.length} queries (${stats.ok} compiled, ${stats.failed} refused) in ${Date.now() - started} ms`,
      byKind,
    );
  }, 60_000);
});
