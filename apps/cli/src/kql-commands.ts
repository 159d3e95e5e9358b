import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDiagnostic, isVigilError } from '@vigil/base';
import type { AdminOps } from '@vigil/runtime';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { formatRows, type RowFormat } from './format-rows.js';
import { withAdmin } from './with-admin.js';

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

function queryText(o: { query?: string; file?: string }): string {
  if (o.query !== undefined && o.file !== undefined) throw new InvalidArgumentError('give --query or --file, not both');
  if (o.query !== undefined) return o.query;
  if (o.file !== undefined) return readFileSync(o.file, 'utf8');
  throw new InvalidArgumentError('give the query with --query KQL or --file F');
}

/** `vigil hunt`: runs KQL on a tenant and prints the rows. */
export function addHuntCommand(program: Command): void {
  program
    .command('hunt')
    .description('run a KQL hunting query on a tenant and print the rows')
    .addOption(new Option('--data <dir>', 'the server data folder').makeOptionMandatory())
    .requiredOption('--tenant <name>', 'the tenant')
    .option('--query <kql>', 'the query text')
    .option('--file <file>', 'a file holding the query')
    .addOption(
      new Option('--format <format>', 'output format').choices(['table', 'json', 'ndjson', 'csv']).default('table'),
    )
    .option('--max-rows <n>', 'return at most this many rows', positive, 100_000)
    .option('--timeout <sec>', 'stop the query after this many seconds', positive, 600)
    .action(
      async (o: {
        data: string;
        tenant: string;
        query?: string;
        file?: string;
        format: RowFormat;
        maxRows: number;
        timeout: number;
      }) => {
        const query = queryText(o);
        await withAdmin(o.data, async (ops) => {
          const r = await ops.hunt(o.tenant, query, { maxRows: o.maxRows, timeoutMs: o.timeout * 1000 });
          const columns = r.Schema.map((c) => ({ name: c.Name, type: c.Type }));
          const rows = r.Results.map((row) => r.Schema.map((c) => row[c.Name]));
          out(formatRows({ columns, rows }, o.format));
          if (r.Truncated) process.stderr.write(`vigil: only the first ${o.maxRows} rows are shown (--max-rows)\n`);
          if (r.Chart) process.stderr.write(`vigil: the query asks for a ${r.Chart.type} chart\n`);
        });
      },
    );
}

/** `vigil kql compile` and `vigil kql check`. */
export function addKqlCommands(program: Command): void {
  const kql = program.command('kql').description('compile and check KQL');
  kql
    .command('compile')
    .description('print the SQL a KQL query compiles to')
    .addOption(new Option('--dialect <dialect>', 'the SQL dialect').choices(['duckdb']).default('duckdb'))
    .option('--query <kql>', 'the query text')
    .option('--file <file>', 'a file holding the query')
    .action(async (o: { query?: string; file?: string }) => {
      const { HuntError, isCompileFailure, kqlCompiler } = await import('@vigil/runtime');
      const compiler = await kqlCompiler();
      const r = compiler.compile(queryText(o));
      if (isCompileFailure(r)) throw new HuntError(r.stage, r.diagnostics);
      out(`${r.sql};`);
      r.params.forEach((p, i) => {
        out(`-- $${i + 1} = ${JSON.stringify(p)}`);
      });
    });
  kql
    .command('check')
    .description('compile (and with --run, run) every query of a JSONL file of {"id","query"} lines')
    .requiredOption('--queries <file>', 'the JSONL file')
    .option('--run', 'also run each query (on --data/--tenant, or on a new empty tenant)')
    .option('--data <dir>', 'the server data folder to run on')
    .option('--tenant <name>', 'the tenant to run on', 'default')
    .action(async (o: { queries: string; run?: boolean; data?: string; tenant: string }) => {
      const lines = readFileSync(o.queries, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '');
      if (!o.run) return report(lines, undefined, o.tenant);
      if (o.data) return withAdmin(o.data, (ops) => report(lines, ops, o.tenant));
      const dir = mkdtempSync(join(tmpdir(), 'vigil-kql-check-'));
      const { DataDir, LocalAdmin } = await import('@vigil/runtime');
      const data = new DataDir(dir);
      try {
        await data.createTenant(o.tenant);
        await report(lines, new LocalAdmin(data), o.tenant);
      } finally {
        await data.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
}

/** Advanced-hunting tables of Microsoft 365 Defender that Vigil does not hold (email, identity, cloud apps, …). */
const OTHER_TABLES =
  /\b(Email(Events|AttachmentInfo|UrlInfo|PostDeliveryEvents)|Identity(Info|LogonEvents|QueryEvents|DirectoryEvents)|CloudAppEvents|UrlClickEvents|AAD(Spn)?SignInEventsBeta|Behavior(Info|Entities)|DeviceTvmInfoGathering(KB)?|DeviceTvmSoftwareEvidenceBeta|ExposureGraph(Nodes|Edges)|DeviceBaselineComplianceAssessment(KB)?|OAuthAppInfo|MessageEvents)\b/;

async function report(lines: readonly string[], ops: AdminOps | undefined, tenant: string): Promise<void> {
  const { HuntError, isCompileFailure, kqlCompiler } = await import('@vigil/runtime');
  const compiler = await kqlCompiler();
  let passed = 0;
  let failed = 0;
  let eligible = 0;
  let eligiblePassed = 0;
  for (const [i, line] of lines.entries()) {
    let id = `line-${i + 1}`;
    let result: Record<string, unknown>;
    let inSchema = true;
    try {
      const { id: qid, query } = JSON.parse(line) as { id?: string; query?: string };
      id = qid ?? id;
      if (typeof query !== 'string') throw new Error('the line has no "query" string');
      inSchema = !OTHER_TABLES.test(query);
      const r = compiler.compile(query);
      if (isCompileFailure(r)) {
        const d = r.diagnostics[0];
        result = { id, ok: false, stage: r.stage, code: d?.code, message: d ? formatDiagnostic(d) : '' };
      } else if (ops) {
        await ops.hunt(tenant, query, { maxRows: 1000, timeoutMs: 60_000 });
        result = { id, ok: true, stage: 'run' };
      } else {
        result = { id, ok: true, stage: 'compile' };
      }
    } catch (e) {
      const stage = e instanceof HuntError ? e.stage : isVigilError(e) ? 'run' : 'parse';
      const code = isVigilError(e) ? e.code : 'KQL_CHECK_BAD_LINE';
      result = { id, ok: false, stage, code, message: (e as Error).message };
    }
    if (result.ok) passed++;
    else failed++;
    if (inSchema) {
      eligible++;
      if (result.ok) eligiblePassed++;
    }
    out(JSON.stringify(inSchema ? result : { ...result, inSchema: false }));
  }
  const pct = eligible > 0 ? ((100 * eligiblePassed) / eligible).toFixed(1) : '0.0';
  out(`# queries whose tables are all in Vigil's schema: ${eligiblePassed} of ${eligible} passed (${pct}%)`);
  out(`${passed} passed, ${failed} failed`);
}
