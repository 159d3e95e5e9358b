import { type Diagnostic, VigilError } from '@vigil/base';
import {
  type CompiledQuery,
  type CompileFailure,
  duckdbDialect,
  type HuntStage,
  KqlCompiler,
  type KType,
  loadKusto,
} from '@vigil/hunting';
import { tables as allTables, type TableSpec } from '@vigil/schema';
import type { TelemetryStore } from '@vigil/storage';

/** Limits of one hunting query. */
export interface HuntOptions {
  readonly maxRows?: number;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly now?: Date;
  /** The only folder externaldata may read; without it externaldata is refused. */
  readonly externalDataDir?: string;
}

/** A hunting result in the shape of Defender's advanced-hunting API, plus Vigil's extras. */
export interface HuntResult {
  readonly Schema: readonly { readonly Name: string; readonly Type: string }[];
  readonly Results: readonly Record<string, unknown>[];
  /** True when the row limit cut the results. */
  readonly Truncated: boolean;
  /** The chart a trailing `render` asked for. */
  readonly Chart?: { readonly type: string; readonly properties: Readonly<Record<string, string>> };
}

/** A query that failed: the stage, a stable code, a line and column, and a hint. */
export class HuntError extends VigilError {
  constructor(
    readonly stage: HuntStage,
    diagnostics: readonly Diagnostic[],
  ) {
    const first = diagnostics[0];
    const where = first?.location ? ` at line ${first.location.line}, column ${first.location.column}` : '';
    super(first?.code ?? 'HUNT_FAILED', `${first?.message ?? 'the query failed'}${where}`, {
      status: 400,
      details: diagnostics,
      ...(first?.hint !== undefined ? { hint: first.hint } : {}),
    });
  }
}

const TYPE_NAMES: Readonly<Record<KType, string>> = {
  string: 'String',
  long: 'Int64',
  int: 'Int32',
  real: 'Double',
  decimal: 'Decimal',
  bool: 'Boolean',
  datetime: 'DateTime',
  timespan: 'TimeSpan',
  dynamic: 'Object',
  guid: 'Guid',
  unknown: 'Object',
};

let shared: Promise<KqlCompiler> | undefined;

/** The process-wide KQL compiler over the hunting tables (Kusto's binder takes about a second to load). */
export function kqlCompiler(tables: readonly TableSpec[] = allTables): Promise<KqlCompiler> {
  if (tables !== allTables) return loadKusto(tables).then((k) => new KqlCompiler(k, tables, duckdbDialect));
  shared ??= loadKusto(allTables).then((k) => new KqlCompiler(k, allTables, duckdbDialect));
  return shared;
}

/** True when a compile failed. */
export function isCompileFailure(r: CompiledQuery | CompileFailure): r is CompileFailure {
  return 'stage' in r;
}

/** Formats microseconds as a KQL timespan: `[-][d.]hh:mm:ss[.fffffff]`. */
export function formatTimespan(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  let rest = Math.abs(Math.round(micros));
  const frac = rest % 1_000_000;
  rest = Math.floor(rest / 1_000_000);
  const s = rest % 60;
  const m = Math.floor(rest / 60) % 60;
  const h = Math.floor(rest / 3600) % 24;
  const d = Math.floor(rest / 86_400);
  const pad = (n: number) => String(n).padStart(2, '0');
  const f = frac ? `.${String(frac * 10).padStart(7, '0')}` : '';
  return `${sign}${d ? `${d}.` : ''}${pad(h)}:${pad(m)}:${pad(s)}${f}`;
}

function convert(value: unknown, type: KType): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'timespan' && typeof value === 'number') return formatTimespan(value);
  if (type === 'bool' && typeof value === 'number') return value !== 0;
  return value;
}

/** Compiles KQL and runs it on a tenant's telemetry store. */
export async function runHunt(store: TelemetryStore, query: string, options: HuntOptions = {}): Promise<HuntResult> {
  const compiler = await kqlCompiler();
  const compiled = compiler.compile(query, {
    ...(options.now ? { now: options.now } : {}),
    ...(options.externalDataDir ? { externalDataDir: options.externalDataDir } : {}),
  });
  if (isCompileFailure(compiled)) throw new HuntError(compiled.stage, compiled.diagnostics);
  let result: Awaited<ReturnType<TelemetryStore['query']>>;
  try {
    result = await store.query(compiled.sql, {
      params: compiled.params,
      ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    throw new HuntError('run', [
      {
        code: options.signal?.aborted ? 'HUNT_CANCELLED' : /limit/.test(String(e)) ? 'HUNT_TIMEOUT' : 'HUNT_RUN',
        message: (e as Error).message.split('\n')[0] ?? 'the query failed',
        severity: 'error',
        location: { line: 1, column: 1 },
      },
    ]);
  }
  const cols = compiled.columns;
  const Results = result.rows.map((row) => {
    const o: Record<string, unknown> = {};
    cols.forEach((c, i) => {
      o[c.name] = convert(row[i], c.type);
    });
    return o;
  });
  return {
    Schema: cols.map((c) => ({ Name: c.name, Type: TYPE_NAMES[c.type] })),
    Results,
    Truncated: result.truncated === true,
    ...(compiled.plan.chart ? { Chart: compiled.plan.chart } : {}),
  };
}
