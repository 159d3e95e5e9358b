import { bestLiterals, unionLiterals } from './literal-sets.js';

/** Literal characters a required literal may hold: none of JSON's own punctuation, escapes or control characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among what it excludes
const UNSAFE = /["\\{}[\]:,\u0000-\u001f]/;
/** An alternation with more options than this gives no literal (the prefilter would gain little). */
const MAX_OPTIONS = 32;

type Options = string[] | null;

/**
 * Literals (in lower case) of which one occurs in every text a JavaScript regular expression matches, or null
 * when none can be told. Reads plain characters, escaped punctuation, groups and alternations; classes, escapes
 * like \d, anchors and lookarounds only break literals, and anything optional (?, *, {0,…}) is left out. A
 * literal never holds JSON punctuation, backslashes or control characters, so it also occurs in the JSON text of
 * an object value wherever it occurs in the object's keys or values.
 */
export function regexLiterals(source: string): Options {
  const p = new Parser(source);
  try {
    const r = p.alternation();
    return p.at < source.length ? null : r;
  } catch {
    return null;
  }
}

class Parser {
  at = 0;
  constructor(private readonly s: string) {}

  alternation(): Options {
    const branches: Options[] = [this.sequence()];
    while (this.s[this.at] === '|') {
      this.at++;
      branches.push(this.sequence());
    }
    const all = unionLiterals(branches);
    return all !== null && all.length > MAX_OPTIONS ? null : all;
  }

  /** The best required option set of a sequence (up to a `|` or `)`). */
  private sequence(): Options {
    const candidates: string[][] = [];
    let run = '';
    const endRun = () => {
      for (const piece of run.split(UNSAFE)) if (piece !== '') candidates.push([piece.toLowerCase()]);
      run = '';
    };
    while (this.at < this.s.length && this.s[this.at] !== '|' && this.s[this.at] !== ')') {
      const atom = this.atom();
      const q = this.quantifier();
      if (atom.kind === 'char') {
        if (q === 'optional') endRun();
        else {
          run += atom.char;
          if (q === 'repeated') endRun();
        }
      } else {
        endRun();
        if (atom.kind === 'group' && atom.options !== null && q !== 'optional') candidates.push(atom.options);
      }
    }
    endRun();
    return bestLiterals(candidates);
  }

  private atom(): { kind: 'char'; char: string } | { kind: 'group'; options: Options } | { kind: 'other' } {
    const c = this.s[this.at++]!;
    if (c === '\\') return this.escape();
    if (c === '[') {
      this.skipClass();
      return { kind: 'other' };
    }
    if (c === '(') {
      let lookaround = false;
      if (this.s[this.at] === '?') {
        const rest = this.s.slice(this.at);
        if (rest.startsWith('?:')) this.at += 2;
        else if (/^\?<[A-Za-z_$]/.test(rest)) this.at = this.s.indexOf('>', this.at) + 1;
        else if (/^\?(=|!|<=|<!)/.test(rest)) {
          lookaround = true;
          this.at += rest.startsWith('?<') ? 3 : 2;
        } else throw new Error('unknown group');
      }
      const options = this.alternation();
      if (this.s[this.at++] !== ')') throw new Error('unclosed group');
      return lookaround ? { kind: 'other' } : { kind: 'group', options };
    }
    if (c === '.' || c === '^' || c === '$') return { kind: 'other' };
    if ('*+?{'.includes(c)) throw new Error('quantifier without atom');
    return { kind: 'char', char: c };
  }

  private escape(): { kind: 'char'; char: string } | { kind: 'other' } {
    const e = this.s[this.at++];
    if (e === undefined) throw new Error('trailing backslash');
    if (!/[A-Za-z0-9]/.test(e)) return { kind: 'char', char: e };
    const skipBraces = () => {
      if (this.s[this.at] === '{') this.at = this.s.indexOf('}', this.at) + 1;
    };
    if (e === 'x') this.at += 2;
    else if (e === 'u') {
      if (this.s[this.at] === '{') skipBraces();
      else this.at += 4;
    } else if (e === 'c') this.at += 1;
    else if (e === 'k') this.at = this.s.indexOf('>', this.at) + 1;
    else if (e === 'p' || e === 'P') skipBraces();
    else if (/[0-9]/.test(e)) while (/[0-9]/.test(this.s[this.at] ?? '')) this.at++;
    if (this.at <= 0) throw new Error('bad escape');
    return { kind: 'other' };
  }

  private skipClass(): void {
    if (this.s[this.at] === '^') this.at++;
    if (this.s[this.at] === ']') this.at++;
    while (this.at < this.s.length && this.s[this.at] !== ']') this.at += this.s[this.at] === '\\' ? 2 : 1;
    if (this.s[this.at++] !== ']') throw new Error('unclosed class');
  }

  /** What follows an atom: nothing, optional (?, *, {0…}) or repeated (+, {n…} with n ≥ 1). */
  private quantifier(): 'once' | 'optional' | 'repeated' {
    const c = this.s[this.at];
    let q: 'once' | 'optional' | 'repeated' = 'once';
    if (c === '?' || c === '*') {
      this.at++;
      q = 'optional';
    } else if (c === '+') {
      this.at++;
      q = 'repeated';
    } else if (c === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(this.s.slice(this.at));
      if (!m) return 'once';
      this.at += m[0].length;
      q = m[1] === '0' ? 'optional' : m[1] === '1' && m[2] === undefined ? 'once' : 'repeated';
    } else return 'once';
    if (this.s[this.at] === '?') this.at++;
    return q;
  }
}
