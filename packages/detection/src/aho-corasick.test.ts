import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick.js';

function found(literals: string[], text: string, foldCase = false): string[] {
  const ids = new Set<number>();
  new AhoCorasick(literals, { foldCase }).scan(text, (id) => ids.add(id));
  const sorted = [...ids].sort((a, b) => a - b).map((i) => literals[i] ?? '');
  // Only the root dense: every other step goes through the sorted children and the failure links.
  const sparse = new Set<number>();
  new AhoCorasick(literals, { foldCase, denseBytes: 1 }).scan(text, (id) => sparse.add(id));
  expect([...sparse].sort((a, b) => a - b).map((i) => literals[i] ?? '')).toEqual(sorted);
  return sorted;
}

describe('AhoCorasick', () => {
  it.each([
    [['he', 'she', 'his', 'hers'], 'ushers', ['he', 'she', 'hers']],
    [['a', 'ab', 'bab', 'bc', 'bca', 'c', 'caa'], 'abccab', ['a', 'ab', 'bc', 'c']],
    [['\\windows\\', 'cmd.exe'], 'c:\\windows\\system32\\cmd.exe', ['\\windows\\', 'cmd.exe']],
    [['xyz'], 'xyxyxz', []],
  ])('finds %j in %s', (literals, text, expected) => {
    expect(found(literals, text)).toEqual(expected);
  });

  it('agrees with a naive search on pseudo-random input', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const word = (len: number) => Array.from({ length: len }, () => 'abc'[rnd(3)]).join('');
    for (let round = 0; round < 50; round++) {
      const literals = [...new Set(Array.from({ length: 8 }, () => word(1 + rnd(4))))];
      const text = word(40);
      expect(found(literals, text)).toEqual(literals.filter((l) => text.includes(l)));
    }
  });

  it('folds case as toLowerCase does, including what no per-unit table can fold', () => {
    expect(found(['cmd.exe', 'ä'], 'C:\\Windows\\CMD.EXE Ä', true)).toEqual(['cmd.exe', 'ä']);
    expect(found(['cmd.exe'], 'CMD.EXE', false)).toEqual([]);
    // İ lowers to two units, a final capital sigma to ς, and Deseret capitals are surrogate pairs.
    expect(found(['i\u0307x'], 'İX', true)).toEqual(['i\u0307x']);
    expect(found(['ας'], 'ΑΣ', true)).toEqual(['ας']);
    expect(found(['\u{10428}'], '\u{10400}', true)).toEqual(['\u{10428}']);
  });

  it('agrees with a naive case-insensitive search on pseudo-random mixed-case input', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const units = ['a', 'B', 'c', 'Σ', 'σ', 'İ', 'i', '\u0307', '\\', 'Ä'];
    const word = (len: number) => Array.from({ length: len }, () => units[rnd(units.length)]).join('');
    for (let round = 0; round < 200; round++) {
      const literals = [...new Set(Array.from({ length: 6 }, () => word(1 + rnd(3)).toLowerCase()))];
      const text = word(30);
      const hits = found(literals, text, true);
      // Never a miss; a false hit only for a literal with non-ASCII units (they share a column).
      for (const l of literals) {
        if (text.toLowerCase().includes(l)) expect(hits).toContain(l);
        else if ([...l].every((ch) => ch.charCodeAt(0) < 0x80)) expect(hits).not.toContain(l);
      }
    }
  });
});
