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
