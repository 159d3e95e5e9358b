import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './aho-corasick.js';

function found(literals: string[], text: string): string[] {
  const ids = new Set<number>();
  new AhoCorasick(literals).scan(text, (id) => ids.add(id));
  return [...ids].sort((a, b) => a - b).map((i) => literals[i] ?? '');
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
});
