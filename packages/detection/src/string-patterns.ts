import type { CompileContext } from './compile-context.js';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import {
  hasWildcards,
  parseSigmaString,
  plainSigmaString,
  type SigmaString,
  sigmaStringText,
  wrapWildcards,
} from './sigma-string.js';
import type { FieldItem } from './sigma-types.js';
import {
  base64,
  base64Offsets,
  encodeLiterals,
  expandPlaceholders,
  utf16,
  utf16be,
  utf16le,
  windashVariants,
} from './value-transforms.js';

/** The patterns of an item: one group per written value (its expansions ORed), and whether `null` was written. */
export interface StringPatterns {
  readonly groups: readonly (readonly SigmaString[])[];
  readonly hasNull: boolean;
}

type Step = (values: SigmaString[], item: FieldItem, ctx: CompileContext) => SigmaString[] | undefined;

function needPlain(name: string): Step {
  return (values, item, ctx) => {
    if (values.some(hasWildcards)) {
      ctx.diagnostics.push(
        sigmaDiagnostic(
          'SIGMA_BAD_MODIFIER_VALUE',
          `${name} cannot encode a value with wildcards on ${item.field ?? 'keywords'}`,
          item.location,
          `apply contains/startswith/endswith after ${name}`,
        ),
      );
      return undefined;
    }
    return values;
  };
}

/** The transformation each string modifier applies, in the order the rule lists them. */
const steps: Readonly<Record<string, Step>> = {
  contains: (v) => v.map((s) => wrapWildcards(s, true, true)),
  startswith: (v) => v.map((s) => wrapWildcards(s, false, true)),
  endswith: (v) => v.map((s) => wrapWildcards(s, true, false)),
  wide: (v) => v.map((s) => encodeLiterals(s, utf16le)),
  utf16le: (v) => v.map((s) => encodeLiterals(s, utf16le)),
  utf16be: (v) => v.map((s) => encodeLiterals(s, utf16be)),
  utf16: (v) => v.map((s) => encodeLiterals(s, utf16)),
  windash: (v) => v.flatMap(windashVariants),
  base64: (v, item, ctx) => needPlain('base64')(v, item, ctx)?.map((s) => plainSigmaString(base64(s.join('')))),
  base64offset: (v, item, ctx) =>
    needPlain('base64offset')(v, item, ctx)?.flatMap((s) => base64Offsets(s.join('')).map(plainSigmaString)),
  expand: (v, item, ctx) => {
    const out: SigmaString[] = [];
    for (const s of v) {
      const r = expandPlaceholders(s, ctx.placeholders);
      for (const name of new Set(r.missing)) {
        ctx.diagnostics.push(
          sigmaDiagnostic(
            'SIGMA_UNRESOLVED_PLACEHOLDER',
            `placeholder %${name}% in "${sigmaStringText(s)}" has no value`,
            item.location,
            `pass placeholders: { "${name}": [values] } when compiling`,
          ),
        );
      }
      if (r.missing.length > 0) return undefined;
      out.push(...r.values);
    }
    return out;
  },
};

function initial(value: unknown): SigmaString {
  if (typeof value === 'string') return parseSigmaString(value);
  return plainSigmaString(String(value));
}

/** Applies the string modifiers of an item to each of its values. */
export function stringPatterns(item: FieldItem, ctx: CompileContext): StringPatterns | undefined {
  const groups: SigmaString[][] = [];
  let hasNull = false;
  for (const value of item.values) {
    if (value === null || value === undefined) {
      hasNull = true;
      continue;
    }
    if (typeof value === 'object') {
      ctx.diagnostics.push(
        sigmaDiagnostic(
          'SIGMA_BAD_VALUE',
          `${item.field ?? 'keywords'}: a value must be text, a number, a boolean or null`,
          item.location,
        ),
      );
      return undefined;
    }
    let current: SigmaString[] | undefined = [initial(value)];
    for (const m of item.modifiers) {
      const step = steps[m];
      if (step && current) current = step(current, item, ctx);
    }
    if (current === undefined) return undefined;
    groups.push(current);
  }
  return { groups, hasNull };
}
