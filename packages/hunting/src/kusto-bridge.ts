import type { TableSpec } from '@vigil/schema';
import type { BridgeList, BridgeNode, KustoProblem, KustoService } from './bridge-types.js';
import { HELPER_SIGNATURES, type HelperSignature } from './helper-signatures.js';

interface BridgeDiagnostic {
  readonly Code: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
  readonly Severity: string;
}

interface KustoCode {
  readonly Syntax: BridgeNode;
  GetDiagnostics(): BridgeList<BridgeDiagnostic>;
}

interface KustoGlobals {
  readonly Kusto: {
    readonly Language: {
      readonly KustoCode: { ParseAndAnalyze(text: string, globals: unknown): KustoCode };
      readonly GlobalState: { readonly Default: { WithDatabase(db: unknown): unknown } };
      readonly Symbols: {
        readonly TableSymbol: { $ctor7: new (name: string, schema: string, description: string) => unknown };
        readonly DatabaseSymbol: { ctor: new (name: string, members: unknown[]) => unknown };
        readonly FunctionSymbol: {
          $ctor13: new (name: string, body: string, tabularity: number, params: unknown[], doc: string) => unknown;
        };
        readonly Parameter: {
          ctor: new (...args: unknown[]) => unknown;
          $ctor3: new (...args: unknown[]) => unknown;
        };
        readonly ScalarTypes: Readonly<Record<string, unknown>>;
        readonly SymbolKind: unknown;
      };
      readonly Syntax: { readonly SyntaxKind: unknown };
    };
  };
  readonly System: { readonly Enum: { toString(enumType: unknown, value: number): string } };
}

/** Columns that Sentinel's copies of the hunting tables add; every table answers to them. */
export const sentinelColumns = [
  ['TimeGenerated', 'datetime'],
  ['TenantId', 'string'],
  ['Type', 'string'],
  ['SourceSystem', 'string'],
  ['MachineGroup', 'string'],
] as const;

/** The Kusto schema text of a table, including the Sentinel columns it lacks. */
export function kustoSchemaOf(table: TableSpec): string {
  const names = new Set(table.columns.map((c) => c.name));
  const cols = table.columns.map((c) => `['${c.name}']:${c.type}`);
  for (const [name, type] of sentinelColumns) if (!names.has(name)) cols.push(`['${name}']:${type}`);
  return `(${cols.join(', ')})`;
}

let loading: Promise<KustoGlobals> | undefined;

function bridge(): Promise<KustoGlobals> {
  loading ??= (async () => {
    // The language service is a Bridge.NET bundle that defines globals; bridge.js must load first.
    await import('@kusto/language-service-next/bridge.min.js');
    await import('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    return globalThis as unknown as KustoGlobals;
  })();
  return loading;
}

/** Loads Kusto's parser and binder with a database made of our hunting tables (about a second, once). */
export async function loadKusto(tables: readonly TableSpec[]): Promise<KustoService> {
  const g = await bridge();
  const K = g.Kusto.Language;
  const symbols = tables.map((t) => new K.Symbols.TableSymbol.$ctor7(t.name, kustoSchemaOf(t), t.description));
  const helpers = HELPER_SIGNATURES.map((h) => helperSymbol(g, h));
  const db = new K.Symbols.DatabaseSymbol.ctor('vigil', [...symbols, ...helpers]);
  const globals = K.GlobalState.Default.WithDatabase(db);
  return {
    analyze(text) {
      const code = K.KustoCode.ParseAndAnalyze(text, globals);
      const list = code.GetDiagnostics();
      const problems: KustoProblem[] = [];
      for (let i = 0; i < list.Count; i++) {
        const d = list.getItem(i);
        if (String(d.Severity) !== 'Error') continue;
        problems.push({ code: d.Code, message: d.Message, start: d.Start, length: d.Length });
      }
      return { root: code.Syntax, problems };
    },
    kindName: (kind) => g.System.Enum.toString(K.Syntax.SyntaxKind, kind),
    symbolKindName: (kind) => g.System.Enum.toString(K.Symbols.SymbolKind, kind),
  };
}

// Kusto's enums, as numbers: ParameterTypeKind.Tabular, ArgumentKind.Expression, Tabularity.Tabular.
const TABULAR_PARAMETER = 3;
const EXPRESSION_ARGUMENT = 0;
const TABULAR_RESULT = 2;

/** A Defender helper function as a database function of Kusto's binder, so that queries calling it bind. */
function helperSymbol(g: KustoGlobals, h: HelperSignature): unknown {
  const S = g.Kusto.Language.Symbols;
  const types: Record<string, unknown> = {
    string: S.ScalarTypes.String,
    long: S.ScalarTypes.Long,
    datetime: S.ScalarTypes.DateTime,
  };
  const scalar = h.params.map(
    (p) =>
      new S.Parameter.$ctor3(p.name, types[p.type], EXPRESSION_ARGUMENT, null, null, false, null, 0, 1, null, null),
  );
  const table = new S.Parameter.ctor(
    'T',
    TABULAR_PARAMETER,
    EXPRESSION_ARGUMENT,
    null,
    null,
    false,
    null,
    1,
    1,
    null,
    null,
  );
  const params = h.tabularInput ? [table, ...scalar] : scalar;
  return new S.FunctionSymbol.$ctor13(h.name, h.body, TABULAR_RESULT, params, `Defender helper ${h.name}()`);
}

export type { BridgeList, BridgeNode, BridgeSymbol, KustoProblem, KustoService } from './bridge-types.js';
