import type { SourceLocation } from '@vigil/base';
import type { CompileContext, CompiledTest } from './compile-context.js';
import type { EventView } from './event-view.js';
import { fieldAccessor } from './field-accessor.js';
import { bestLiterals, unionLiterals } from './literal-sets.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { FieldItem } from './sigma-types.js';
import { compileSpecial, isSpecialModifier } from './special-modifiers.js';
import { type StringPatterns, stringPatterns } from './string-patterns.js';
import { type StringMatcher, stringMatcher, valueTexts } from './value-matcher.js';

/** Every value modifier of Sigma v2, as a registry. */
export const sigmaModifiers = [
  'contains',
  'startswith',
  'endswith',
  'all',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
  're',
  'i',
  'm',
  's',
  'cidr',
  'exists',
  'expand',
  'gt',
  'gte',
  'lt',
  'lte',
  'fieldref',
  'cased',
] as const;

const known = new Set<string>(sigmaModifiers);

function modifierLocation(item: FieldItem, index: number): SourceLocation {
  const loc = item.location;
  if (loc.column === undefined || item.field === undefined) return loc;
  const before = [item.field, ...item.modifiers.slice(0, index)].join('|').length + 1;
  return { ...loc, column: loc.column + before };
}

function checkModifiers(item: FieldItem, ctx: CompileContext): boolean {
  let ok = true;
  item.modifiers.forEach((m, i) => {
    if (known.has(m)) return;
    ok = false;
    ctx.diagnostics.push(
      sigmaDiagnostic(
        'SIGMA_UNKNOWN_MODIFIER',
        `unknown value modifier "${m}" on ${item.field ?? 'keywords'}`,
        modifierLocation(item, i),
        `known modifiers: ${sigmaModifiers.join(', ')}`,
      ),
    );
  });
  return ok;
}

/** Compiles one `field|modifiers: values` item (or a keyword list when the field is undefined). */
export function compileFieldItem(item: FieldItem, ctx: CompileContext): CompiledTest | undefined {
  if (!checkModifiers(item, ctx)) return undefined;
  if (item.field === undefined) return compileKeywords(item, ctx);
  const accessor = fieldAccessor(item.field, ctx.fields.get(item.field.toLowerCase()));
  if (item.modifiers.some(isSpecialModifier)) return compileSpecial(item, accessor, ctx);
  const patterns = stringPatterns(item, ctx);
  if (patterns === undefined) return undefined;
  const cased = item.modifiers.includes('cased');
  const groups = patterns.groups.map((g) => g.map((s) => stringMatcher(s, cased)));
  const hasNull = patterns.hasNull;
  const all = item.modifiers.includes('all');
  const test = (view: EventView): boolean => {
    const v = accessor.get(view);
    if (v === undefined || v === null) return hasNull && !all ? true : hasNull && groups.length === 0;
    const texts = valueTexts(v);
    const one = (g: readonly StringMatcher[]) => texts.some((t) => matchAny(g, t));
    return all ? groups.every(one) : groups.some(one);
  };
  return { test, literals: accessor.joined || hasNull ? null : groupLiterals(groups, all) };
}

function matchAny(group: readonly StringMatcher[], text: string): boolean {
  const lower = text.toLowerCase();
  for (const m of group) if (m.test(text, lower)) return true;
  return false;
}

/** Literal alternatives: with `all` the best group's, else the union over groups (null if one has none). */
export function groupLiterals(groups: readonly (readonly StringMatcher[])[], all: boolean): string[] | null {
  const perGroup = groups.map((g) => (g.every((m) => m.literal !== '') ? g.map((m) => m.literal) : null));
  return all ? bestLiterals(perGroup) : unionLiterals(perGroup);
}

function compileKeywords(item: FieldItem, ctx: CompileContext): CompiledTest | undefined {
  const patterns: StringPatterns | undefined = stringPatterns(
    { ...item, modifiers: item.modifiers.includes('contains') ? item.modifiers : ['contains', ...item.modifiers] },
    ctx,
  );
  if (patterns === undefined) return undefined;
  const cased = item.modifiers.includes('cased');
  const groups = patterns.groups.map((g) => g.map((s) => stringMatcher(s, cased)));
  const all = item.modifiers.includes('all');
  const test = (view: EventView): boolean => {
    const values = view.allValues();
    const one = (g: readonly StringMatcher[]) => values.some((t) => matchAny(g, t));
    return all ? groups.every(one) : groups.some(one);
  };
  return { test, literals: groupLiterals(groups, all) };
}
