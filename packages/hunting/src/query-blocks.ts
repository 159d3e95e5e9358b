/** A query block of a text: its text and where it starts in the whole text. */
export interface QueryBlock {
  readonly text: string;
  readonly start: number;
}

/**
 * Splits a text into the blocks that the Defender and Sentinel editors treat as separate queries: runs of lines
 * separated by blank lines, ignoring blank lines inside string literals. Blocks holding only comments are dropped.
 */
export function splitQueryBlocks(text: string): QueryBlock[] {
  const blocks: QueryBlock[] = [];
  let start = 0;
  let i = 0;
  let quote: string | undefined;
  const push = (end: number) => {
    const body = text.slice(start, end);
    const code = body.replace(/\/\/[^\n]*/g, '').trim();
    if (code !== '') blocks.push({ text: body, start });
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (quote) {
      if (quote === '```' ? text.startsWith('```', i) : ch === quote) {
        i += quote.length;
        quote = undefined;
        continue;
      }
      if (ch === '\\' && quote !== '```') i++;
      i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
      continue;
    }
    if (text.startsWith('```', i)) {
      quote = '```';
      i += 3;
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
      i++;
      continue;
    }
    if (ch === '\n') {
      const m = /^\n[ \t\r]*\n/.exec(text.slice(i, i + 200));
      if (m) {
        push(i);
        i += m[0].length - 1;
        start = i;
      }
    }
    i++;
  }
  push(text.length);
  return blocks;
}
