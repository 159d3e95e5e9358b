import { child, elements, type KNode, nameText } from './checked-tree.js';
import { unsupported } from './compile-error.js';
import { sourceText } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import type { Expr, JoinKind, Rel } from './plan.js';
import { type BuildRel, columnMap, type Scope } from './scope.js';

const KINDS = new Set<JoinKind>([
  'innerunique',
  'inner',
  'leftouter',
  'rightouter',
  'fullouter',
  'leftanti',
  'rightanti',
  'leftsemi',
  'rightsemi',
]);

function joinKind(op: KNode, fallback: JoinKind): JoinKind {
  const params = op.children.filter((c) => c.kind === 'List').flatMap((l) => elements(l));
  for (const p of params) {
    const m = /^kind=(\w+)$/i.exec(sourceText(p).replace(/\s+/g, ''));
    if (m) {
      const k = (m[1] ?? '').toLowerCase().replace('leftantisemi', 'leftanti').replace('rightantisemi', 'rightanti');
      if (KINDS.has(k as JoinKind)) return k as JoinKind;
      if (k === 'anti') return 'leftanti';
      if (k === 'semi') return 'leftsemi';
      if (k === 'outer') return 'leftouter';
      return unsupported(`join kind=${k}`, p);
    }
  }
  return fallback;
}

function rightSide(op: KNode): KNode {
  const r = op.children.find(
    (c) => !c.isToken && c.kind !== 'List' && c.kind !== 'JoinOnClause' && c.kind !== 'JoinWhereClause',
  );
  return r ?? unsupported('a join without a right side', op);
}

function sideColumn(node: KNode): { side: 'left' | 'right'; name: string } | undefined {
  if (node.kind !== 'PathExpression') return undefined;
  const parts = node.children.filter((c) => !c.isToken);
  const base = parts[0] ? nameText(parts[0]) : '';
  const name = parts[1] ? nameText(parts[1]) : '';
  if (base === '$left') return { side: 'left', name };
  if (base === '$right') return { side: 'right', name };
  return undefined;
}

function conditions(op: KNode, left: Rel, right: Rel): { left: Expr; right: Expr }[] {
  const clause = child(op, 'JoinOnClause') ?? unsupported('join without "on" (or with "where")', op);
  const lcols = columnMap(left.columns);
  const rcols = columnMap(right.columns);
  const ref = (side: 'left' | 'right', name: string, at: KNode): Expr => {
    const col = (side === 'left' ? lcols : rcols).get(name);
    if (!col) return unsupported(`the ${side} column ${name}`, at);
    return { kind: 'column', name, type: col.type, from: side };
  };
  return elements(clause).map((cond) => {
    if (cond.kind === 'NameReference') {
      const name = nameText(cond);
      return { left: ref('left', name, cond), right: ref('right', name, cond) };
    }
    if (cond.kind === 'EqualExpression') {
      const [a, b] = cond.children.filter((c) => !c.isToken);
      const sa = a ? sideColumn(a) : undefined;
      const sb = b ? sideColumn(b) : undefined;
      if (sa && sb && sa.side !== sb.side) {
        const l = sa.side === 'left' ? sa : sb;
        const r = sa.side === 'left' ? sb : sa;
        return { left: ref('left', l.name, cond), right: ref('right', r.name, cond) };
      }
    }
    return unsupported('this join condition', cond, 'use "on Column" or "on $left.a == $right.b"');
  });
}

function outputs(op: KNode, kind: JoinKind, left: Rel, right: Rel) {
  const cols = planColumns(op.columns);
  const leftOnly = kind === 'leftanti' || kind === 'leftsemi';
  const rightOnly = kind === 'rightanti' || kind === 'rightsemi';
  const sources = [
    ...(rightOnly ? [] : left.columns.map((c) => ({ side: 'left' as const, source: c.name }))),
    ...(leftOnly ? [] : right.columns.map((c) => ({ side: 'right' as const, source: c.name }))),
  ];
  if (sources.length !== cols.length) return unsupported('this join output', op);
  return {
    cols,
    output: cols.map((c, i) => ({ name: c.name, ...(sources[i] as { side: 'left' | 'right'; source: string }) })),
  };
}

/** `join kind=… (right) on …`, with KQL's innerunique default. */
export function buildJoin(op: KNode, left: Rel, scope: Scope, buildRel: BuildRel): Rel {
  const kind = joinKind(op, 'innerunique');
  const right = buildRel(rightSide(op), scope);
  const on = conditions(op, left, right);
  const { cols, output } = outputs(op, kind, left, right);
  return { kind: 'join', join: kind, left, right, on, output, columns: cols };
}

/** `lookup (right) on …`: a left outer join whose right key columns are not repeated. */
export function buildLookup(op: KNode, left: Rel, scope: Scope, buildRel: BuildRel): Rel {
  const kind = joinKind(op, 'leftouter');
  const right = buildRel(rightSide(op), scope);
  const on = conditions(op, left, right);
  const cols = planColumns(op.columns);
  const leftNames = new Set(left.columns.map((c) => c.name));
  const output = cols.map((c) => ({
    name: c.name,
    side: leftNames.has(c.name) ? ('left' as const) : ('right' as const),
    source: c.name,
  }));
  return { kind: 'join', join: kind, left, right, on, output, columns: cols };
}
