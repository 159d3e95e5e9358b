import type { BridgeNode, BridgeSymbol, KustoService } from './bridge-types.js';

/** A column of a tabular result, with its Kusto type. */
export interface ColumnInfo {
  readonly name: string;
  readonly type: string;
}

/** A node of the checked tree: Kusto's syntax with the binder's types, as plain data. */
export interface KNode {
  /** Kusto's SyntaxKind name, e.g. `FilterOperator`, `EqualTildeExpression`. */
  readonly kind: string;
  /** Token text (tokens only). */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  readonly children: readonly KNode[];
  /** Scalar result type name (`string`, `long`, `datetime`, `timespan`, `dynamic`, …) of an expression. */
  readonly type?: string;
  /** Columns of a tabular result. */
  readonly columns?: readonly ColumnInfo[];
  /** What a name refers to: `Column`, `Table`, `Variable`, `Function`, `Parameter`, … and its name. */
  readonly ref?: { readonly kind: string; readonly name: string };
  readonly isToken: boolean;
}

function columnsOf(sym: BridgeSymbol): ColumnInfo[] | undefined {
  const cols = sym.Columns;
  if (!cols) return undefined;
  const out: ColumnInfo[] = [];
  for (let i = 0; i < cols.Count; i++) {
    const c = cols.getItem(i);
    out.push({ name: c.Name, type: c.Type?.Name ?? 'unknown' });
  }
  return out;
}

/** Converts Kusto's tree into the checked tree. */
export function toCheckedTree(node: BridgeNode, kusto: KustoService): KNode {
  const children: KNode[] = [];
  for (let i = 0; i < node.ChildCount; i++) {
    const c = node.GetChild(i);
    if (c) children.push(toCheckedTree(c, kusto));
  }
  const kind = kusto.kindName(node.Kind);
  if (node.IsToken) {
    return { kind, text: node.Text, start: node.TextStart, end: node.End, children, isToken: true };
  }
  const rt = node.ResultType;
  const rs = node.ReferencedSymbol;
  const rtKind = rt ? kusto.symbolKindName(rt.Kind) : '';
  const columns = rt && (rtKind === 'Table' || rtKind === 'Group') ? columnsOf(rt) : undefined;
  return {
    kind,
    text: '',
    start: node.TextStart,
    end: node.End,
    children,
    isToken: false,
    ...(rt && !columns ? { type: rt.Name } : {}),
    ...(columns ? { columns } : {}),
    ...(rs ? { ref: { kind: kusto.symbolKindName(rs.Kind), name: rs.Name } } : {}),
  };
}

/** The non-token children of a node, skipping `List` and `SeparatedElement` wrappers. */
export function elements(node: KNode): KNode[] {
  const out: KNode[] = [];
  for (const c of node.children) {
    if (c.isToken) continue;
    if (c.kind === 'List' || c.kind === 'SeparatedElement') out.push(...elements(c));
    else out.push(c);
  }
  return out;
}

/** The first child of a kind. */
export function child(node: KNode, kind: string): KNode | undefined {
  return node.children.find((c) => c.kind === kind);
}

/** The text of a name node (NameReference, NameDeclaration, TokenName, BracketedName, …). */
export function nameText(node: KNode): string {
  if (node.isToken) {
    const t = node.text;
    if ((t.startsWith('"') || t.startsWith("'")) && t.length >= 2) return t.slice(1, -1);
    return t;
  }
  const tokens: string[] = [];
  const walk = (n: KNode) => {
    if (n.isToken) {
      if (!['[', ']', 'OpenBracketToken', 'CloseBracketToken'].includes(n.text)) tokens.push(n.text);
    } else n.children.forEach(walk);
  };
  walk(node);
  const t = tokens.join('');
  if ((t.startsWith('"') || t.startsWith("'")) && t.length >= 2) return t.slice(1, -1);
  return t;
}

/** The tokens of a node, in order. */
export function tokens(node: KNode): KNode[] {
  if (node.isToken) return [node];
  return node.children.flatMap(tokens);
}
