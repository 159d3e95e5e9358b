import { hasWildcards, longestLiteral, type SigmaString, sigmaStringRegex } from './sigma-string.js';

/** A test of one text value, with the literal that any matching value must contain (lower case; '' = none). */
export interface StringMatcher {
  readonly test: (value: string, lower: string) => boolean;
  readonly literal: string;
}

/** Builds the matcher of a Sigma string: exact, prefix, suffix and substring fast paths, else a regex. */
export function stringMatcher(s: SigmaString, cased: boolean): StringMatcher {
  const literal = longestLiteral(s).toLowerCase();
  if (!hasWildcards(s)) {
    const text = s.join('');
    const lower = text.toLowerCase();
    return { literal, test: cased ? (v) => v === text : (_v, l) => l === lower };
  }
  const first = s[0];
  const last = s[s.length - 1];
  const isMany = (p: unknown) => typeof p === 'object' && p !== null && (p as { wildcard: string }).wildcard === '*';
  if (s.length === 2 && typeof first === 'string' && isMany(last)) {
    const lower = first.toLowerCase();
    return { literal, test: cased ? (v) => v.startsWith(first) : (_v, l) => l.startsWith(lower) };
  }
  if (s.length === 2 && isMany(first) && typeof last === 'string') {
    const lower = last.toLowerCase();
    return { literal, test: cased ? (v) => v.endsWith(last) : (_v, l) => l.endsWith(lower) };
  }
  if (s.length === 3 && isMany(first) && isMany(last) && typeof s[1] === 'string') {
    const mid = s[1];
    const lower = mid.toLowerCase();
    return { literal, test: cased ? (v) => v.includes(mid) : (_v, l) => l.includes(lower) };
  }
  if (s.length === 1 && isMany(first)) return { literal: '', test: () => true };
  const re = new RegExp(sigmaStringRegex(s), cased ? 's' : 'is');
  return { literal, test: (v) => re.test(v) };
}

/** Turns an event value into the texts a string test looks at (arrays give each element). */
export function valueTexts(v: unknown): readonly string[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'string') return [v];
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return [String(v)];
  if (Array.isArray(v)) return v.flatMap(valueTexts);
  return [JSON.stringify(v)];
}
