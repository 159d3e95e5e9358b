import { type Diagnostic, err, ok, type Result } from '@vigil/base';
import { adapterProblem } from './adapter-problem.js';

/** One top-level JSON object of a file, with the 1-based line and 0-based character offset where it starts. */
export interface JsonPiece {
  readonly value: unknown;
  readonly line: number;
  readonly offset: number;
}

const NEWLINE = 10;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;

function isSeparator(c: number): boolean {
  // whitespace, commas and the brackets of an enclosing array may sit between objects
  return c === 32 || c === 9 || c === 13 || c === NEWLINE || c === 44 || c === 91 || c === 93 || c === 0xfeff;
}

/** Finds the end of the object that starts at `start` (a `{`); returns its last index and the newlines inside. */
function objectEnd(text: string, start: number): { end: number; newlines: number } | undefined {
  let depth = 0;
  let inString = false;
  let newlines = 0;
  for (let j = start; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === NEWLINE) newlines++;
    if (inString) {
      if (c === BACKSLASH) j++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === 91) depth++;
    else if (c === 125 || c === 93) {
      depth--;
      if (depth === 0) return { end: j, newlines };
    }
  }
  return undefined;
}

function parsePiece(text: string, start: number, end: number, line: number): Result<JsonPiece, Diagnostic> {
  try {
    return ok({ value: JSON.parse(text.slice(start, end + 1)), line, offset: start });
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return err(
      adapterProblem('WINDOWS_JSON_SYNTAX', `the JSON object that starts at line ${line} is malformed: ${reason}`, {
        location: { line, offset: start },
      }),
    );
  }
}

/**
 * Yields each top-level JSON object of a text that holds several objects one after another, with or without
 * newlines, commas or an enclosing array between them (evtx_dump output, JSON lines, pretty-printed dumps). A
 * malformed object is reported with its line and offset and the scan goes on with the next one; stray text between
 * objects is reported and skipped. Strings are scanned with their escapes, so braces inside values do not count.
 */
export function* splitConcatenatedJson(text: string): Generator<Result<JsonPiece, Diagnostic>> {
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSeparator(c)) {
      if (c === NEWLINE) line++;
      i++;
      continue;
    }
    if (c !== OPEN_BRACE) {
      const next = text.indexOf('{', i);
      const stop = next < 0 ? text.length : next;
      yield err(
        adapterProblem(
          'WINDOWS_JSON_UNEXPECTED',
          `unexpected text ${JSON.stringify(text.slice(i, i + 20))} at line ${line}`,
          {
            location: { line, offset: i },
            hint: 'the file should hold JSON objects one after another',
          },
        ),
      );
      for (let j = i; j < stop; j++) if (text.charCodeAt(j) === NEWLINE) line++;
      i = stop;
      continue;
    }
    const found = objectEnd(text, i);
    if (found === undefined) {
      yield err(
        adapterProblem('WINDOWS_JSON_UNTERMINATED', `the JSON object that starts at line ${line} is not closed`, {
          location: { line, offset: i },
          hint: 'the file may be truncated',
        }),
      );
      return;
    }
    yield parsePiece(text, i, found.end, line);
    line += found.newlines;
    i = found.end + 1;
  }
}
