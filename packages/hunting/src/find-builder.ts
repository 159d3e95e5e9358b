import { child, elements, type KNode, nameText } from './checked-tree.js';
import { unsupported } from './compile-error.js';
import { buildExpr } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import type { Expr, NamedExpr, PlanColumn, Rel } from './plan.js';
import { type BuildRel, type Scope, withColumns } from './scope.js';

/**
 * `find in (T1, T2, …) where pred [project cols]`: the union of each table's matching rows, with `source_` naming
 * the table and, without `project`, `pack_` holding the columns the tables do not share.
 */
export function buildFind(op: KNode, scope: Scope, buildRel: BuildRel): Rel {
  const inClause = child(op, 'FindInClause') ?? unsupported('find without "in (tables)"', op);
  const sources = elements(inClause);
  const predNode = op.children
    .filter((c) => !c.isToken && c.kind !== 'FindInClause' && c.kind !== 'FindProjectClause')
    .at(-1);
  if (!predNode) return unsupported('find without a where predicate', op);
  const cols = planColumns(op.columns);
  const rels = sources.map((src) => buildRel(src, scope));
  // The predicate may name columns some tables lack: there they are null, as in Kusto.
  const all = new Map<string, PlanColumn>();
  for (const r of rels) for (const c of r.columns) if (!all.has(c.name)) all.set(c.name, c);
  const inputs = sources.map((src, i) => {
    const rel = rels[i] as Rel;
    const own = new Set(rel.columns.map((c) => c.name));
    const missing = [...all.values()].filter((c) => !own.has(c.name));
    const s = {
      ...withColumns(scope, rel.columns),
      scalars: new Map([
        ...scope.scalars,
        ...missing.map((c): [string, Expr] => [c.name, { kind: 'literal', value: null, type: c.type }]),
      ]),
    };
    const filtered: Rel = { kind: 'filter', input: rel, predicate: buildExpr(predNode, s), columns: rel.columns };
    const have = new Map(rel.columns.map((c) => [c.name, c]));
    const outNames = new Set(cols.map((c) => c.name));
    const items: NamedExpr[] = cols.map((c) => {
      if (c.name === 'source_')
        return { name: c.name, expr: { kind: 'literal', value: nameText(src), type: 'string' } };
      if (c.name === 'pack_') {
        const rest = rel.columns.filter((x) => !outNames.has(x.name));
        const args: Expr[] = rest.flatMap((x): Expr[] => [
          { kind: 'literal', value: x.name, type: 'string' },
          { kind: 'column', name: x.name, type: x.type },
        ]);
        return { name: c.name, expr: { kind: 'call', fn: 'pack', args, type: 'dynamic' } };
      }
      const col = have.get(c.name);
      return {
        name: c.name,
        expr: col ? { kind: 'column', name: col.name, type: col.type } : { kind: 'literal', value: null, type: c.type },
      };
    });
    return { kind: 'project', input: filtered, items, columns: cols } satisfies Rel;
  });
  return { kind: 'union', inputs, columns: cols };
}
