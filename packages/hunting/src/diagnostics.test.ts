import { tables } from '@vigil/schema';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CompileFailure, KqlCompiler } from './compile-kql.js';
import { duckdbDialect } from './duckdb-dialect.js';
import { loadKusto } from './kusto-bridge.js';

interface Case {
  readonly query: string;
  readonly stage: CompileFailure['stage'];
  readonly code: string;
  readonly line: number;
  readonly column: number;
  /** Text the hint must hold. */
  readonly hint: RegExp;
}

const CASES: readonly Case[] = [
  { query: 'DeviceProcessEvents | where', stage: 'parse', code: 'KQL_KS006', line: 1, column: 28, hint: /expression/ },
  {
    query: 'DeviceProcessEvents | where FileNam == "x"',
    stage: 'bind',
    code: 'KQL_KS142',
    line: 1,
    column: 29,
    hint: /did you mean FileName\?/,
  },
  {
    query: 'DeviceProcessEvents\n| summarize count() by DeviceNme',
    stage: 'bind',
    code: 'KQL_KS142',
    line: 2,
    column: 24,
    hint: /did you mean DeviceName/,
  },
  {
    query: 'DeviceProcessEvents | project FileName | where ProcessId > 1',
    stage: 'bind',
    code: 'KQL_KS142',
    line: 1,
    column: 48,
    hint: /columns here are FileName .*removed ProcessId/,
  },
  {
    query: 'DeviceProcesEvents | take 1',
    stage: 'bind',
    code: 'KQL_KS204',
    line: 1,
    column: 1,
    hint: /did you mean DeviceProcessEvents.*tables: .*DeviceNetworkEvents/,
  },
  {
    query: 'DeviceProcessEvents | extend x = tolowr(FileName)',
    stage: 'bind',
    code: 'KQL_KS211',
    line: 1,
    column: 34,
    hint: /did you mean tolower\(\)/,
  },
  {
    query: 'DeviceProcessEvents\n  | where Timestamp > ago(xyz)',
    stage: 'bind',
    code: 'KQL_KS107',
    line: 2,
    column: 27,
    hint: /timespan such as 1d/,
  },
  {
    query: 'DeviceProcessEvents | take 1 | foo',
    stage: 'bind',
    code: 'KQL_KS176',
    line: 1,
    column: 32,
    hint: /where, project/,
  },
  {
    query: 'DeviceProcessEvents | where FileName == "a',
    stage: 'parse',
    code: 'KQL_KS001',
    line: 1,
    column: 43,
    hint: /"/,
  },
  {
    query: 'DeviceProcessEvents\n| evaluate bag_unpack(AdditionalFields)',
    stage: 'compile',
    code: 'HUNT_UNSUPPORTED',
    line: 2,
    column: 3,
    hint: /supported operators: where/,
  },
  {
    query: 'externaldata(a:string)["https://example.com/x.csv"]',
    stage: 'compile',
    code: 'HUNT_EXTERNALDATA_OFF',
    line: 1,
    column: 1,
    hint: /externaldata-dir/,
  },
  { query: 'let x = 1;', stage: 'compile', code: 'HUNT_NO_QUERY', line: 1, column: 1, hint: /DeviceProcessEvents/ },
];

describe('diagnostics: a stable code, a line and column, and a hint', () => {
  let compiler: KqlCompiler;
  beforeAll(async () => {
    compiler = new KqlCompiler(await loadKusto(tables), tables, duckdbDialect);
  });

  it.each(CASES)('$code for $query', (c) => {
    const r = compiler.compile(c.query);
    if (!('stage' in r)) throw new Error(`compiled: ${r.sql}`);
    expect(r.stage).toBe(c.stage);
    const d = r.diagnostics.find((x) => x.code === c.code);
    expect(d, JSON.stringify(r.diagnostics)).toBeDefined();
    expect(d?.location).toEqual({ line: c.line, column: c.column });
    expect(d?.hint).toMatch(c.hint);
  });

  it('gives every diagnostic of a failure a code, a location and a hint', () => {
    for (const c of CASES) {
      const r = compiler.compile(c.query);
      if (!('stage' in r)) continue;
      for (const d of r.diagnostics) {
        expect(d.code).toMatch(/^(KQL_KS\d{3}|HUNT_[A-Z_]+)$/);
        expect(d.location?.line).toBeGreaterThanOrEqual(1);
        expect(d.location?.column).toBeGreaterThanOrEqual(1);
        expect(d.hint?.length ?? 0).toBeGreaterThan(0);
      }
    }
  });
});
