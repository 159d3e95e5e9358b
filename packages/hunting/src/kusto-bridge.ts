import type { TableSpec } from '@vigil/schema';

/** A node of Kusto's syntax tree, as far as we read it (the Bridge.NET objects of @kusto/language-service-next). */
export interface BridgeNode {
  readonly Kind: number;
  readonly IsToken: boolean;
  readonly Text: string;
  readonly TextStart: number;
  readonly End: number;
  readonly ChildCount: number;
  GetChild(i: number): BridgeNode | null;
  readonly ResultType: BridgeSymbol | null;
  readonly ReferencedSymbol: BridgeSymbol | null;
  readonly IsMissing?: boolean;
}

/** A Kusto symbol: a table, a column, a function, a variable or a type. */
export interface BridgeSymbol {
  readonly Kind: number;
  readonly Name: string;
  readonly Columns?: BridgeList<BridgeSymbol>;
  readonly Type?: BridgeSymbol;
}

/** A .NET list as Bridge.NET exposes it. */
export interface BridgeList<T> {
  readonly Count: number;
  getItem(i: number): T;
}

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
        readonly FunctionSymbol: { $ctor14?: unknown };
        readonly SymbolKind: unknown;
      };
      readonly Syntax: { readonly SyntaxKind: unknown };
    };
  };
  readonly System: { readonly Enum: { toString(enumType: unknown, value: number): string } };
}

/** A problem Kusto's own analyzer found, at a character offset. */
export interface KustoProblem {
  readonly code: string;
  readonly message: string;
  readonly start: number;
  readonly length: number;
}

/** The loaded Kusto language service with our schema. */
export interface KustoService {
  analyze(text: string): { root: BridgeNode; problems: KustoProblem[] };
  kindName(kind: number): string;
  symbolKindName(kind: number): string;
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
  const db = new K.Symbols.DatabaseSymbol.ctor('vigil', symbols);
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
