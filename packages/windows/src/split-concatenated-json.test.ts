import { describe, expect, it } from 'vitest';
import { splitConcatenatedJson } from './split-concatenated-json.js';

function values(text: string): unknown[] {
  return [...splitConcatenatedJson(text)].map((r) => (r.ok ? r.value.value : r.error.code));
}

describe('splitConcatenatedJson', () => {
  it.each([
    ['objects on their own lines', '{"a":1}\n{"b":2}\n', [{ a: 1 }, { b: 2 }]],
    [
      'pretty-printed objects back to back',
      '{\n  "a": 1\n}{\n  "b": {"c": [1, 2]}\n}',
      [{ a: 1 }, { b: { c: [1, 2] } }],
    ],
    ['commas between objects', '{"a":1},\n{"b":2}', [{ a: 1 }, { b: 2 }]],
    ['an enclosing array', '[{"a":1}, {"b":2}]', [{ a: 1 }, { b: 2 }]],
    ['braces and escaped quotes in strings', '{"s":"}{\\"}"}{"t":"\\\\"}', [{ s: '}{"}' }, { t: '\\' }]],
    ['a byte order mark', '\uFEFF{"a":1}', [{ a: 1 }]],
    ['nothing', ' \n ', []],
  ])('splits %s', (_name, text, expected) => {
    expect(values(text)).toEqual(expected);
  });

  it('reports a malformed object with its line and offset and goes on', () => {
    const results = [...splitConcatenatedJson('{"a":1}\n{"b":}\n{"c":3}')];
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    const bad = results[1];
    expect(bad?.ok === false && bad.error.code).toBe('WINDOWS_JSON_SYNTAX');
    expect(bad?.ok === false && bad.error.location).toEqual({ line: 2, offset: 8 });
    const last = results[2];
    expect(last?.ok && last.value).toEqual({ value: { c: 3 }, line: 3, offset: 15 });
  });

  it('reports stray text and an unterminated object', () => {
    const results = [...splitConcatenatedJson('garbage\n{"a":1}\n{"b": [1, 2')];
    expect(results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'WINDOWS_JSON_UNEXPECTED',
      'ok',
      'WINDOWS_JSON_UNTERMINATED',
    ]);
    const last = results[2];
    expect(last?.ok === false && last.error.location?.line).toBe(3);
  });
});
