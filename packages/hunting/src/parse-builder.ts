import { child, elements, type KNode, nameText } from './checked-tree.js';
import { unsupported } from './compile-error.js';
import { buildExpr, sourceText } from './expr-builder.js';
import { planColumns } from './ktypes.js';
import { parseStringToken } from './literals.js';
import type { Expr, KType, NamedExpr, Rel } from './plan.js';
import { type Scope, withColumns } from './scope.js';

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const TYPE_PATTERN: Partial<Record<KType, string>> = {
  long: '(-?\\d+)',
  int: '(-?\\d+)',
  real: '(-?\\d+(?:\\.\\d+)?)',
};

/**
 * `parse [kind=simple|regex] Expr with * "lit" Col:type "lit" …`: one regular expression built from the pattern,
 * whose groups fill the new columns (empty or null when the text does not match).
 */
export function buildParse(op: KNode, input: Rel, scope: Scope): Rel {
  const s = withColumns(scope, input.columns);
  const params = op.children
    .filter((c) => c.kind === 'List')
    .flatMap((l) => elements(l))
    .filter((c) => c.kind === 'NamedParameter');
  const kind = params.map((p) => /kind=(\w+)/i.exec(sourceText(p))?.[1]?.toLowerCase()).find(Boolean) ?? 'simple';
  if (kind === 'relaxed') return unsupported('parse kind=relaxed', op);
  const withIndex = op.children.findIndex((c) => c.isToken && c.text.toLowerCase() === 'with');
  const source = op.children
    .slice(0, withIndex)
    .filter((c) => !c.isToken && c.kind !== 'List')
    .at(-1);
  const patternList = op.children.slice(withIndex + 1).find((c) => c.kind === 'List');
  if (!source || !patternList) return unsupported('this parse', op);
  const parts = elements(patternList);
  const cols = planColumns(op.columns);
  const types = new Map(cols.map((c) => [c.name, c.type]));
  const names: string[] = [];
  let regex = '';
  parts.forEach((p, i) => {
    const last = i === parts.length - 1;
    if (p.kind === 'StarExpression') regex += last ? '.*' : '.*?';
    else if (p.kind === 'StringLiteralExpression') {
      const text = parseStringToken(p.children.find((c) => c.isToken)?.text ?? '""', p);
      regex += kind === 'regex' ? text : escapeRegex(text);
    } else {
      const decl = p.kind === 'NameAndTypeDeclaration' ? (child(p, 'NameDeclaration') ?? p) : p;
      const name = nameText(decl);
      names.push(name);
      const typed = TYPE_PATTERN[types.get(name) ?? 'string'];
      regex += typed ?? (last ? '(.*)' : kind === 'regex' ? '(.*?)' : '(.*?)');
    }
  });
  const anchored = kind === 'regex' ? regex : `^${regex}$`;
  const text = buildExpr(source, s);
  const added = new Map<string, Expr>();
  names.forEach((name, i) => {
    const type = types.get(name) ?? 'string';
    const extracted: Expr = {
      kind: 'call',
      fn: 'extract',
      args: [
        { kind: 'literal', value: `(?s)${anchored}`, type: 'string' },
        { kind: 'literal', value: i + 1, type: 'long' },
        text,
      ],
      type: 'string',
    };
    const value: Expr =
      type === 'string'
        ? { kind: 'call', fn: 'coalesce_empty', args: [extracted], type }
        : {
            kind: 'call',
            fn: type === 'real' ? 'todouble' : type === 'datetime' ? 'todatetime' : 'tolong',
            args: [extracted],
            type,
          };
    added.set(name, value);
  });
  const items: NamedExpr[] = cols.map((c) => ({
    name: c.name,
    expr: added.get(c.name) ?? { kind: 'column', name: c.name, type: c.type },
  }));
  return { kind: 'project', input, items, columns: cols };
}
