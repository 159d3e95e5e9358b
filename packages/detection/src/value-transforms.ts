import { mapLiterals, type SigmaString } from './sigma-string.js';

/** UTF-16 little endian as one character per byte (`wide`, `utf16le`). */
export function utf16le(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += String.fromCharCode(c & 0xff, c >> 8);
  }
  return out;
}

/** UTF-16 big endian as one character per byte (`utf16be`). */
export function utf16be(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += String.fromCharCode(c >> 8, c & 0xff);
  }
  return out;
}

/** UTF-16 with a byte order mark, little endian (`utf16`). */
export function utf16(text: string): string {
  return `\xff\xfe${utf16le(text)}`;
}

/** Bytes of a string: characters below 256 as single bytes (already-encoded text), else UTF-8. */
function bytesOf(text: string): string {
  if (!/[\u0100-\uffff]/.test(text)) return text;
  let out = '';
  for (const b of new TextEncoder().encode(text)) out += String.fromCharCode(b);
  return out;
}

/** Standard base64 of a string's bytes. */
export function base64(text: string): string {
  return btoa(bytesOf(text));
}

/**
 * The three forms a text takes inside a longer base64 text, depending on its offset modulo 3 (Sigma
 * `base64offset`): the stable middle of each encoding, as pySigma computes it.
 */
export function base64Offsets(text: string): string[] {
  const bytes = bytesOf(text);
  const starts = [0, 2, 3];
  const ends = [0, -3, -2];
  const out: string[] = [];
  for (let i = 0; i < 3; i++) {
    const enc = btoa(' '.repeat(i) + bytes);
    const end = ends[(bytes.length + i) % 3] ?? 0;
    out.push(enc.slice(starts[i], end === 0 ? undefined : end));
  }
  return out;
}

const dashes = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** Every variant of a command line with `-`/`/` option prefixes swapped for other dashes (`windash`). */
export function windashVariants(s: SigmaString): SigmaString[] {
  let variants: SigmaString[] = [[]];
  for (const part of s) {
    if (typeof part !== 'string') {
      variants = variants.map((v) => [...v, part]);
      continue;
    }
    // Split keeps the separators at odd indexes; past four prefixes the rest stay as written (bounded expansion).
    const pieces = part.split(/((?<!\w)[-/](?=\w))/);
    let texts = [pieces[0] ?? ''];
    for (let i = 1; i < pieces.length; i += 2) {
      const after = pieces[i + 1] ?? '';
      const options = i <= 7 ? dashes : [pieces[i] ?? ''];
      texts = texts.flatMap((t) => options.map((d) => t + d + after));
    }
    variants = variants.flatMap((v) => texts.map((t) => [...v, t]));
  }
  return variants;
}

/** Replaces `%name%` placeholders; returns the names it could not resolve. */
export function expandPlaceholders(
  s: SigmaString,
  placeholders: ReadonlyMap<string, readonly string[]>,
): { values: SigmaString[]; missing: string[] } {
  const missing: string[] = [];
  let values: SigmaString[] = [[]];
  for (const part of s) {
    if (typeof part !== 'string') {
      values = values.map((v) => [...v, part]);
      continue;
    }
    const pieces = part.split(/%([A-Za-z0-9_.-]+)%/);
    let texts = [''];
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i] ?? '';
      if (i % 2 === 0) texts = texts.map((t) => t + p);
      else {
        const subst = placeholders.get(p);
        if (subst === undefined) missing.push(p);
        texts = subst === undefined ? [] : texts.flatMap((t) => subst.map((x) => t + x));
      }
    }
    values = values.flatMap((v) => texts.map((t) => [...v, t]));
  }
  return { values, missing };
}

/** Applies a byte encoding to each literal run. */
export function encodeLiterals(s: SigmaString, f: (text: string) => string): SigmaString {
  return mapLiterals(s, f);
}
