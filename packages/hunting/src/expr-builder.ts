import { child, elements, type KNode, nameText } from './checked-tree.js';
import { CompileError, unsupported } from './compile-error.js';
import { callFunction } from './functions.js';
import { ktype } from './ktypes.js';
import { parseDatetime, parseStringToken, parseTimespan } from './literals.js';
import type { Expr, KType } from './plan.js';
import type { Scope } from './scope.js';

/** Plan-level function names of binary operators. */
const BINARY: Readonly<Record<string, string>> = {
  AddExpression: 'add',
  SubtractExpression: 'sub',
  MultiplyExpression: 'mul',
  DivideExpression: 'div',
  ModuloExpression: 'mod',
  LessThanExpression: 'lt',
  LessThanOrEqualExpression: 'le',
  GreaterThanExpression: 'gt',
  GreaterThanOrEqualExpression: 'ge',
  EqualExpression: 'eq',
  NotEqualExpression: 'ne',
  AndExpression: 'and',
  OrExpression: 'or',
  EqualTildeExpression: 'eq_ci',
  BangTildeExpression: 'ne_ci',
  HasExpression: 'has',
  HasCsExpression: 'has_cs',
  HasPrefixExpression: 'hasprefix',
  HasPrefixCsExpression: 'hasprefix_cs',
  HasSuffixExpression: 'hassuffix',
  HasSuffixCsExpression: 'hassuffix_cs',
  ContainsExpression: 'contains',
  ContainsCsExpression: 'contains_cs',
  StartsWithExpression: 'startswith',
  StartsWithCsExpression: 'startswith_cs',
  EndsWithExpression: 'endswith',
  EndsWithCsExpression: 'endswith_cs',
  MatchesRegexExpression: 'matches_regex',
  LikeExpression: 'like',
  LikeCsExpression: 'like_cs',
};

/** Negated operators: the plan negates the positive form. */
const NEGATED: Readonly<Record<string, string>> = {
  NotHasExpression: 'HasExpression',
  NotHasCsExpression: 'HasCsExpression',
  NotHasPrefixExpression: 'HasPrefixExpression',
  NotHasPrefixCsExpression: 'HasPrefixCsExpression',
  NotHasSuffixExpression: 'HasSuffixExpression',
  NotHasSuffixCsExpression: 'HasSuffixCsExpression',
  NotContainsExpression: 'ContainsExpression',
  NotContainsCsExpression: 'ContainsCsExpression',
  NotStartsWithExpression: 'StartsWithExpression',
  NotStartsWithCsExpression: 'StartsWithCsExpression',
  NotEndsWithExpression: 'EndsWithExpression',
  NotEndsWithCsExpression: 'EndsWithCsExpression',
  NotLikeExpression: 'LikeExpression',
  NotLikeCsExpression: 'LikeCsExpression',
};

/** Builds a plan call. */
export function call(fn: string, args: readonly Expr[], type: KType): Expr {
  return { kind: 'call', fn, args, type };
}

/** A literal. */
export function lit(value: string | number | boolean | null, type: KType): Expr {
  return { kind: 'literal', value, type };
}

function operands(node: KNode): KNode[] {
  return node.children.filter((c) => !c.isToken);
}

function literal(node: KNode): Expr {
  const text =
    node.children
      .filter((c) => c.isToken)
      .map((c) => c.text)
      .join('')
      .trim() || nameText(node);
  switch (node.kind) {
    case 'StringLiteralExpression':
      return lit(parseStringToken(text, node), 'string');
    case 'CompoundStringLiteralExpression':
      return lit(
        node.children
          .flatMap((c) => (c.isToken ? [c] : c.children.filter((t) => t.isToken)))
          .map((t) => parseStringToken(t.text, node))
          .join(''),
        'string',
      );
    case 'BooleanLiteralExpression':
      return lit(/true/i.test(text) ? true : /false/i.test(text) ? false : null, 'bool');
    case 'LongLiteralExpression':
    case 'IntLiteralExpression':
    case 'RealLiteralExpression':
    case 'DecimalLiteralExpression': {
      const inner = /^(?:long|int|real|double|decimal)\((.*)\)$/i.exec(text)?.[1] ?? text;
      const type = ktype(node.type);
      if (inner.trim() === 'null') return lit(null, type);
      const n = Number(inner.replace(/^0x/i, '') === inner ? inner : Number.parseInt(inner, 16));
      if (!Number.isFinite(n))
        throw new CompileError('HUNT_BAD_NUMBER', `"${text}" is not a number`, node.start, node.end);
      return lit(n, type);
    }
    case 'TimespanLiteralExpression': {
      const v = parseTimespan(text);
      if (v === undefined)
        throw new CompileError('HUNT_BAD_TIMESPAN', `"${text}" is not a timespan`, node.start, node.end);
      return lit(v, 'timespan');
    }
    case 'DateTimeLiteralExpression': {
      const v = parseDatetime(text);
      if (v === undefined)
        throw new CompileError('HUNT_BAD_DATETIME', `"${text}" is not a datetime`, node.start, node.end);
      return lit(v, 'datetime');
    }
    case 'GuidLiteralExpression':
      return lit(/^guid\((.*)\)$/i.exec(text)?.[1]?.trim() ?? text, 'guid');
    case 'NullLiteralExpression':
      return lit(null, 'unknown');
    default:
      return unsupported(`the literal ${node.kind}`, node);
  }
}

/** Builds a plan expression from a checked-tree expression. */
export function buildExpr(node: KNode, scope: Scope): Expr {
  const kind = node.kind;
  if (kind.endsWith('LiteralExpression') && kind !== 'TypeOfLiteralExpression') return literal(node);
  if (kind in BINARY) {
    const [a, b] = operands(node);
    if (!a || !b) return unsupported(`an incomplete ${kind}`, node);
    return call(BINARY[kind] as string, [buildExpr(a, scope), buildExpr(b, scope)], ktype(node.type));
  }
  if (kind in NEGATED) {
    const [a, b] = operands(node);
    if (!a || !b) return unsupported(`an incomplete ${kind}`, node);
    const fn = BINARY[NEGATED[kind] as string] as string;
    return call('not', [call(fn, [buildExpr(a, scope), buildExpr(b, scope)], 'bool')], 'bool');
  }
  switch (kind) {
    case 'ParenthesizedExpression': {
      const inner = operands(node)[0];
      return inner ? buildExpr(inner, scope) : unsupported('empty parentheses', node);
    }
    case 'UnaryMinusExpression': {
      const inner = operands(node)[0];
      return inner ? call('neg', [buildExpr(inner, scope)], ktype(node.type)) : unsupported('a lone minus', node);
    }
    case 'UnaryPlusExpression': {
      const inner = operands(node)[0];
      return inner ? buildExpr(inner, scope) : unsupported('a lone plus', node);
    }
    case 'NameReference':
    case 'BracketedExpression':
      return nameRef(node, scope);
    case 'InExpression':
    case 'InCsExpression':
    case 'NotInExpression':
    case 'NotInCsExpression':
    case 'HasAnyExpression':
    case 'HasAllExpression':
      return listOperator(node, scope);
    case 'BetweenExpression':
    case 'NotBetweenExpression':
      return between(node, scope);
    case 'FunctionCallExpression':
      return callFunction(node, scope, buildExpr);
    case 'PathExpression':
    case 'ElementExpression':
      return pathExpr(node, scope);
    case 'DynamicExpression':
      return dynamicLiteral(node);
    case 'ToScalarExpression': {
      const inner = operands(node).at(-1);
      if (!inner || !scope.rel) return unsupported('this toscalar()', node);
      if (!inner.columns && inner.kind !== 'PipeExpression') return buildExpr(inner, scope);
      const rel = scope.rel(inner, scope);
      return { kind: 'subquery', rel, type: rel.columns[0]?.type ?? ktype(node.type) };
    }
    case 'SimpleNamedExpression': {
      // A named argument such as bin(Name = Timestamp, 5m): the binder already named the output column.
      const value = node.children.filter((c) => !c.isToken && c.kind !== 'NameDeclaration').at(-1);
      return value ? buildExpr(value, scope) : unsupported('an empty named expression', node);
    }
    case 'TypeOfLiteralExpression':
      return lit(sourceText(node).replace(/^typeof\(|\)$/g, ''), 'unknown');
    default:
      return unsupported(`the expression ${kind}`, node);
  }
}

function nameRef(node: KNode, scope: Scope): Expr {
  const name = node.ref?.name ?? nameText(node);
  const refKind = node.ref?.kind;
  if (scope.params?.has(name)) return scope.params.get(name) as Expr;
  if (refKind !== 'Column') {
    const scalar = scope.scalars.get(name);
    if (scalar) return scalar;
  }
  const col = scope.columns.get(name);
  if (col) return { kind: 'column', name, type: col.type };
  const scalar = scope.scalars.get(name);
  if (scalar) return scalar;
  throw new CompileError('HUNT_UNKNOWN_NAME', `unknown name "${name}"`, node.start, node.end);
}

function listOperator(node: KNode, scope: Scope): Expr {
  const [left, listNode] = operands(node);
  if (!left || !listNode) return unsupported(`an incomplete ${node.kind}`, node);
  const items = elements(listNode).map((e) => (isTabularItem(e, scope) ? tabularItem(e, scope) : buildExpr(e, scope)));
  const lhs = buildExpr(left, scope);
  const fn: Readonly<Record<string, string>> = {
    InExpression: 'in',
    InCsExpression: 'in_ci',
    NotInExpression: 'in',
    NotInCsExpression: 'in_ci',
    HasAnyExpression: 'has_any',
    HasAllExpression: 'has_all',
  };
  // Kusto names `in~` InCsExpression?: the binder's kind tells; `!in~` is NotInCsExpression.
  const text = node.children.find((c) => c.isToken && /in/i.test(c.text))?.text ?? '';
  const name = text.includes('~') ? 'in_ci' : (fn[node.kind] as string);
  const e = call(name, [lhs, { kind: 'list', items, type: 'dynamic' }], 'bool');
  return node.kind.startsWith('Not') ? call('not', [e], 'bool') : e;
}

function between(node: KNode, scope: Scope): Expr {
  const parts = operands(node);
  const value = parts[0];
  const range = parts[1];
  if (!value || !range) return unsupported('an incomplete between', node);
  const [lo, hi] = operands(range);
  if (!lo || !hi) return unsupported('a between without a range', node);
  const e = call('between', [buildExpr(value, scope), buildExpr(lo, scope), buildExpr(hi, scope)], 'bool');
  return node.kind === 'NotBetweenExpression' ? call('not', [e], 'bool') : e;
}

function pathExpr(node: KNode, scope: Scope): Expr {
  const [base, selector] = operands(node);
  if (!base || !selector) return unsupported(`an incomplete ${node.kind}`, node);
  const target = buildExpr(base, scope);
  let key: Expr;
  if (node.kind === 'PathExpression') key = lit(nameText(selector), 'string');
  else {
    const inner = operands(selector)[0] ?? selector;
    key = buildExpr(inner, scope);
  }
  return call('dyn_get', [target, key], 'dynamic');
}

function dynamicLiteral(node: KNode): Expr {
  const text = node.children
    .filter((c) => !c.isToken)
    .map((c) => sourceText(c))
    .join('');
  try {
    const json = toJson(text);
    return lit(json, 'dynamic');
  } catch {
    return unsupported('this dynamic literal', node, 'use JSON syntax inside dynamic(...)');
  }
}

/** The source text of a node, tokens joined with their original spacing lost (safe for literals). */
export function sourceText(node: KNode): string {
  if (node.isToken) return node.text;
  return node.children.map(sourceText).join(node.kind === 'List' ? '' : '');
}

function toJson(text: string): string {
  const t = text.trim();
  if (t === 'null' || t === '') return 'null';
  // KQL dynamic literals are JSON with optional single quotes and bare datetime/timespan values.
  const normalized = t.replace(/'([^'\\]*(?:\\.[^'\\]*)*)'/g, (_, s: string) => JSON.stringify(s));
  return JSON.stringify(JSON.parse(normalized));
}

/** The first child of a kind, or a compile error. */
export function required(node: KNode, kind: string): KNode {
  const c = child(node, kind);
  if (!c) throw new CompileError('HUNT_SYNTAX', `expected ${kind}`, node.start, node.end);
  return c;
}

function isTabularItem(e: KNode, scope: Scope): boolean {
  if (e.kind === 'NameReference') return scope.tabulars.has(nameText(e)) && !scope.columns.has(nameText(e));
  return e.kind === 'PipeExpression' || (e.kind === 'ParenthesizedExpression' && Boolean(e.columns));
}

function tabularItem(e: KNode, scope: Scope): Expr {
  if (!scope.rel) return unsupported('a tabular expression here', e);
  const rel = scope.rel(e, scope);
  return { kind: 'subquery', rel, type: rel.columns[0]?.type ?? 'unknown' };
}
