/** A wildcard of a Sigma string: `*` (any run of characters) or `?` (one character). */
export type Wildcard = { readonly wildcard: '*' | '?' };

/** A Sigma string value: literal text runs and wildcards, after escapes are resolved. */
export type SigmaString = readonly (string | Wildcard)[];

const many: Wildcard = { wildcard: '*' };
const one: Wildcard = { wildcard: '?' };

/**
 * Parses Sigma's string syntax: `*` and `?` are wildcards; a backslash escapes `*`, `?` and itself; a backslash
 * before any other character is kept literally (so Windows paths need no doubling).
 */
export function parseSigmaString(text: string): SigmaString {
  const out: (string | Wildcard)[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      if (n === '*' || n === '?' || n === '\\') {
        lit += n;
        i++;
      } else lit += c;
    } else if (c === '*' || c === '?') {
      if (lit) out.push(lit);
      lit = '';
      out.push(c === '*' ? many : one);
    } else lit += c;
  }
  if (lit) out.push(lit);
  return out;
}

/** A Sigma string of plain text with no wildcards. */
export function plainSigmaString(text: string): SigmaString {
  return text === '' ? [] : [text];
}

/** Whether the string holds wildcards. */
export function hasWildcards(s: SigmaString): boolean {
  return s.some((p) => typeof p !== 'string');
}

/** The text of a string without wildcards (wildcards written back as `*`/`?`). */
export function sigmaStringText(s: SigmaString): string {
  return s.map((p) => (typeof p === 'string' ? p : p.wildcard)).join('');
}

/** Adds a leading and/or trailing `*` unless already there. */
export function wrapWildcards(s: SigmaString, start: boolean, end: boolean): SigmaString {
  const out = [...s];
  const isMany = (p: string | Wildcard | undefined) => p !== undefined && typeof p !== 'string' && p.wildcard === '*';
  if (start && !isMany(out[0])) out.unshift(many);
  if (end && !isMany(out[out.length - 1])) out.push(many);
  return out;
}

/** Applies a function to every literal run. */
export function mapLiterals(s: SigmaString, f: (text: string) => string): SigmaString {
  return s.map((p) => (typeof p === 'string' ? f(p) : p));
}

/** The longest literal run, for the literal prefilter. */
export function longestLiteral(s: SigmaString): string {
  let best = '';
  for (const p of s) if (typeof p === 'string' && p.length > best.length) best = p;
  return best;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A whole-value regular expression source for the string. */
export function sigmaStringRegex(s: SigmaString): string {
  const body = s
    .map((p) => (typeof p === 'string' ? escapeRegex(p) : p.wildcard === '*' ? '[\\s\\S]*' : '[\\s\\S]'))
    .join('');
  return `^${body}$`;
}
