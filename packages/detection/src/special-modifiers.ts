import { cidrTest } from './cidr.js';
import type { CompileContext, CompiledTest } from './compile-context.js';
import type { EventView } from './event-view.js';
import { type FieldAccessor, fieldAccessor } from './field-accessor.js';
import { bestLiterals, unionLiterals } from './literal-sets.js';
import { regexLiterals } from './regex-literals.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { FieldItem } from './sigma-types.js';
import { valueTexts } from './value-matcher.js';

const special = new Set(['exists', 're', 'cidr', 'gt', 'gte', 'lt', 'lte', 'fieldref']);

/** Whether a modifier replaces string matching with its own test. */
export function isSpecialModifier(m: string): boolean {
  return special.has(m);
}

type Builder = (
  value: unknown,
  item: FieldItem,
  ctx: CompileContext,
) => ((texts: readonly string[], view: EventView) => boolean) | undefined;

function bad(ctx: CompileContext, item: FieldItem, message: string, hint?: string): undefined {
  ctx.diagnostics.push(sigmaDiagnostic('SIGMA_BAD_MODIFIER_VALUE', `${item.field}: ${message}`, item.location, hint));
  return undefined;
}

/** Python `re` syntax that JavaScript spells differently. */
function jsRegex(source: string, flags: string): { source: string; flags: string } {
  let s = source;
  let f = flags;
  const inline = /^\(\?([imsx]+)\)/.exec(s);
  if (inline?.[1]) {
    for (const c of inline[1]) if (c !== 'x' && !f.includes(c)) f += c;
    s = s.slice(inline[0].length);
  }
  s = s.replace(/\(\?P<([A-Za-z_]\w*)>/g, '(?<$1>').replace(/\(\?P=([A-Za-z_]\w*)\)/g, '\\k<$1>');
  s = s.replace(/\\A/g, '^').replace(/\\Z/g, '$');
  return { source: s, flags: f };
}

const builders: Readonly<Record<string, Builder>> = {
  re: (value, item, ctx) => {
    if (typeof value !== 'string') return bad(ctx, item, 're needs a text value');
    const flags = ['i', 'm', 's'].filter((f) => item.modifiers.includes(f)).join('');
    const js = jsRegex(value, flags);
    try {
      const re = new RegExp(js.source, js.flags);
      return (texts) => texts.some((t) => re.test(t));
    } catch (e) {
      ctx.diagnostics.push(
        sigmaDiagnostic(
          'SIGMA_BAD_REGEX',
          `${item.field}: regular expression /${value}/ does not compile: ${(e as Error).message}`,
          item.location,
          'use syntax common to Python and JavaScript regular expressions',
        ),
      );
      return undefined;
    }
  },
  cidr: (value, item, ctx) => {
    const t = typeof value === 'string' ? cidrTest(value) : undefined;
    if (!t) return bad(ctx, item, `"${String(value)}" is not a CIDR range`, 'like 10.0.0.0/8 or fe80::/10');
    return (texts) => texts.some(t);
  },
  exists: (value, item, ctx) => {
    if (typeof value !== 'boolean') return bad(ctx, item, 'exists needs true or false');
    return (texts) => texts.length > 0 === value;
  },
  fieldref: (value, item, ctx) => {
    if (typeof value !== 'string') return bad(ctx, item, 'fieldref needs a field name');
    const other: FieldAccessor = fieldAccessor(value, ctx.fields.get(value.toLowerCase()));
    return (texts, view) => {
      const others = valueTexts(other.get(view)).map((x) => x.toLowerCase());
      return texts.some((t) => others.includes(t.toLowerCase()));
    };
  },
  gt: numeric((a, b) => a > b),
  gte: numeric((a, b) => a >= b),
  lt: numeric((a, b) => a < b),
  lte: numeric((a, b) => a <= b),
};

function numeric(cmp: (a: number, b: number) => boolean): Builder {
  return (value, item, ctx) => {
    const n = typeof value === 'number' ? value : Number(value);
    if (!Number.isFinite(n)) return bad(ctx, item, `"${String(value)}" is not a number`);
    return (texts) =>
      texts.some((t) => {
        const x = Number(t.trim());
        return t.trim() !== '' && Number.isFinite(x) && cmp(x, n);
      });
  };
}

/** Compiles an item whose modifiers include one of exists, re, cidr, gt/gte/lt/lte or fieldref. */
export function compileSpecial(
  item: FieldItem,
  accessor: FieldAccessor,
  ctx: CompileContext,
): CompiledTest | undefined {
  const kinds = item.modifiers.filter(isSpecialModifier);
  const kind = kinds[0] ?? '';
  if (kinds.length > 1) return bad(ctx, item, `${kinds.join(' and ')} cannot be combined`);
  const builder = builders[kind];
  if (!builder) return undefined;
  const tests: ((texts: readonly string[], view: EventView) => boolean)[] = [];
  for (const v of item.values) {
    const t = builder(v, item, ctx);
    if (!t) return undefined;
    tests.push(t);
  }
  const all = item.modifiers.includes('all');
  const test = (view: EventView): boolean => {
    const texts = valueTexts(accessor.get(view));
    return all ? tests.every((t) => t(texts, view)) : tests.some((t) => t(texts, view));
  };
  return { test, literals: kind === 're' && !accessor.joined ? regexItemLiterals(item.values, all) : null };
}

/**
 * The literals the prefilter may require for a `|re` item: one of each pattern's literals (all: the best pattern's
 * alone), or null when a pattern has none.
 */
function regexItemLiterals(values: readonly unknown[], all: boolean): string[] | null {
  const each = values.map((v) => (typeof v === 'string' ? regexLiterals(jsRegex(v, '').source) : null));
  return all ? bestLiterals(each) : unionLiterals(each);
}
