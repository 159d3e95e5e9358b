import type { Diagnostic, SourceLocation } from '@vigil/base';
import { sigmaDiagnostic } from './sigma-diagnostic.js';
import type { ConditionNode } from './sigma-types.js';

interface Token {
  readonly text: string;
  readonly offset: number;
}

class ConditionError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(\(|\)|\||[^\s()|]+)/gy;
  let m: RegExpExecArray | null = re.exec(text);
  while (m !== null) {
    const t = m[1] ?? '';
    tokens.push({ text: t, offset: m.index + (m[0].length - t.length) });
    m = re.exec(text);
  }
  if (re.lastIndex !== 0 && text.slice(re.lastIndex).trim() !== '') {
    throw new ConditionError('SIGMA_BAD_CONDITION', 'unexpected text', re.lastIndex);
  }
  return tokens;
}

const keywords = new Set(['and', 'or', 'not', 'of', '(', ')']);

/** Recursive-descent parser for the Sigma condition grammar (precedence: not > and > or). */
class Parser {
  private i = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly end: number,
  ) {}

  parse(): ConditionNode {
    const node = this.or();
    const t = this.peek();
    if (t) {
      if (t.text === '|') {
        throw new ConditionError(
          'SIGMA_UNSUPPORTED_AGGREGATION',
          'Sigma v1 aggregations (`| count() by ...`) are not supported',
          t.offset,
          'rewrite it as a Sigma v2 correlation rule (event_count / value_count)',
        );
      }
      throw new ConditionError('SIGMA_BAD_CONDITION', `unexpected "${t.text}"`, t.offset);
    }
    return node;
  }

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private is(word: string): boolean {
    return this.peek()?.text.toLowerCase() === word;
  }

  private next(what: string): Token {
    const t = this.tokens[this.i++];
    if (!t) throw new ConditionError('SIGMA_BAD_CONDITION', `expected ${what} at the end`, this.end);
    return t;
  }

  private or(): ConditionNode {
    const children = [this.and()];
    while (this.is('or')) {
      this.i++;
      children.push(this.and());
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private and(): ConditionNode {
    const children = [this.not()];
    while (this.is('and')) {
      this.i++;
      children.push(this.not());
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private not(): ConditionNode {
    if (this.is('not')) {
      this.i++;
      return { kind: 'not', child: this.not() };
    }
    return this.primary();
  }

  private primary(): ConditionNode {
    const t = this.next('a search identifier');
    const word = t.text.toLowerCase();
    if (t.text === '(') {
      const inner = this.or();
      const close = this.next('")"');
      if (close.text !== ')') throw new ConditionError('SIGMA_BAD_CONDITION', 'expected ")"', close.offset);
      return inner;
    }
    if (this.is('of')) {
      this.i++;
      const target = this.next('an identifier pattern or "them"');
      const quantifier = word === 'all' ? 'all' : /^\d+$/.test(word) ? Number(word) : undefined;
      if (quantifier === undefined || quantifier === 0) {
        throw new ConditionError('SIGMA_BAD_CONDITION', `"${t.text} of" needs "all" or a number ≥ 1`, t.offset);
      }
      const pattern = target.text.toLowerCase() === 'them' ? '*' : target.text;
      return { kind: 'of', quantifier, pattern };
    }
    if (keywords.has(word) || t.text === '|') {
      throw new ConditionError('SIGMA_BAD_CONDITION', `unexpected "${t.text}"`, t.offset);
    }
    return { kind: 'ref', name: t.text };
  }
}

/** Parses one condition text; errors are returned as diagnostics placed at the offending column. */
export function parseCondition(
  text: string,
  location: SourceLocation,
): { node?: ConditionNode; diagnostics: Diagnostic[] } {
  try {
    const node = new Parser(tokenize(text), text.length).parse();
    return { node, diagnostics: [] };
  } catch (e) {
    if (!(e instanceof ConditionError)) throw e;
    const column = location.column === undefined ? undefined : location.column + e.offset;
    const at = column === undefined ? location : { ...location, column };
    return { diagnostics: [sigmaDiagnostic(e.code, `condition "${text}": ${e.message}`, at, e.hint)] };
  }
}
