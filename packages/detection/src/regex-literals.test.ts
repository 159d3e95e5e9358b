import { describe, expect, it } from 'vitest';
import { regexLiterals } from './regex-literals.js';

describe('regexLiterals', () => {
  it.each([
    ['(curl|wget)\\s[^|]*\\|\\s*(sudo\\s+)?(ba|z|da)?sh\\b', ['curl', 'wget']],
    ['\\/dev\\/tcp\\/\\d+', ['/dev/tcp/']],
    ['^C:\\\\Windows\\\\Temp\\\\[a-z]+\\.exe$', ['windows']],
    ['abcd?e', ['abc']],
    ['ab+cd', ['ab']],
    ['x(?:foo|barbaz)+y', ['foo', 'barbaz']],
    ['(?=secret)token', ['token']],
    ['Invoke-(Mimikatz|Kerberoast)', ['mimikatz', 'kerberoast']],
    ['a{2,}bcd', ['bcd']],
    ['"key":"value"', ['value']],
  ])('%s needs one of %j', (source, expected) => {
    expect(regexLiterals(source)).toEqual(expected);
  });

  it.each(['.*', '[abc]+', '(a|.*)', 'x?', '\\d{3}', '(', 'a|', '(?<!x)'])('%s needs no literal', (source) => {
    expect(regexLiterals(source)).toBeNull();
  });

  it('gives only literals that every match holds (pseudo-random regexes against V8)', () => {
    let seed = 11;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const atoms = ['a', 'b', 'c', '\\.', '[ab]', '.', '(a|bc)', '(?:c|ab)'];
    const quants = ['', '', '', '?', '*', '+', '{2}', '{0,1}'];
    const texts = Array.from({ length: 300 }, () => Array.from({ length: 1 + rnd(8) }, () => 'abc.x'[rnd(5)]).join(''));
    for (let round = 0; round < 300; round++) {
      const source = Array.from(
        { length: 1 + rnd(5) },
        () => atoms[rnd(atoms.length)]! + quants[rnd(quants.length)]!,
      ).join('');
      const lits = regexLiterals(source);
      if (lits === null) continue;
      const re = new RegExp(source);
      for (const t of texts)
        if (re.test(t))
          expect(
            lits.some((l) => t.toLowerCase().includes(l)),
            `${source} on ${t}`,
          ).toBe(true);
    }
  });
});
