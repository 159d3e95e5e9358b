import { describe, expect, it } from 'vitest';
import { parseCondition } from './parse-condition.js';
import type { Pipeline } from './pipeline.js';
import { compileRuleset } from './ruleset.js';

const pipeline: Pipeline = {
  name: 'test',
  logsources: [
    { logsource: { product: 'linux', category: 'process_creation' }, targets: [{ table: 'DeviceProcessEvents' }] },
  ],
};

/** Selections a..c and _filter test whether the command line contains their letter. */
function ruleWith(condition: string): string {
  return `title: c
id: 33333333-3333-3333-3333-333333333333
logsource: {product: linux, category: process_creation}
detection:
  sel_a: {ProcessCommandLine|contains: 'a'}
  sel_b: {ProcessCommandLine|contains: 'b'}
  other_c: {ProcessCommandLine|contains: 'c'}
  _filter: {ProcessCommandLine|contains: 'z'}
  condition: ${condition}
`;
}

function fires(condition: string, commandLine: string): boolean {
  const rs = compileRuleset([{ path: 'c.yml', text: ruleWith(condition) }], [pipeline]);
  expect(rs.diagnostics).toEqual([]);
  return rs.match({ table: 'DeviceProcessEvents', row: { ProcessCommandLine: commandLine } }).length > 0;
}

const table: [string, string, boolean][] = [
  ['sel_a', 'xa', true],
  ['sel_a and sel_b', 'a', false],
  ['sel_a and sel_b', 'ab', true],
  ['sel_a or sel_b', 'b', true],
  ['not sel_a', 'b', true],
  ['not sel_a', 'a', false],
  ['sel_a and not sel_b', 'a', true],
  ['sel_a and not sel_b', 'ab', false],
  ['sel_a and (sel_b or other_c)', 'ac', true],
  ['sel_a and (sel_b or other_c)', 'a', false],
  ['sel_a and sel_b or other_c', 'c', true],
  ['sel_a or sel_b and other_c', 'a', true],
  ['not (sel_a or sel_b)', 'c', true],
  ['not not sel_a', 'a', true],
  ['1 of sel_*', 'b', true],
  ['1 of sel_*', 'c', false],
  ['all of sel_*', 'ab', true],
  ['all of sel_*', 'a', false],
  ['1 of them', 'c', true],
  ['1 of them', 'z', false],
  ['all of them', 'abc', true],
  ['all of them', 'ab', false],
  ['2 of them', 'ac', true],
  ['2 of them', 'a', false],
  ['1 of sel_* and not _filter', 'az', false],
  ['1 of sel_* and not _filter', 'a', true],
  ['sel_a AND NOT sel_b', 'a', true],
];

describe('condition grammar', () => {
  it.each(table)('%s on "%s" is %s', (condition, commandLine, expected) => {
    expect(fires(condition, commandLine)).toBe(expected);
  });

  it('treats a list of conditions as alternatives', () => {
    const text = ruleWith('\n    - sel_a\n    - sel_b');
    const rs = compileRuleset([{ path: 'l.yml', text }], [pipeline]);
    expect(rs.match({ table: 'DeviceProcessEvents', row: { ProcessCommandLine: 'b' } })).toHaveLength(1);
  });

  it.each([
    ['sel_a and', 'SIGMA_BAD_CONDITION'],
    ['(sel_a', 'SIGMA_BAD_CONDITION'],
    ['sel_a sel_b', 'SIGMA_BAD_CONDITION'],
    ['0 of them', 'SIGMA_BAD_CONDITION'],
    ['selection | count() by User > 5', 'SIGMA_UNSUPPORTED_AGGREGATION'],
  ])('rejects "%s" with %s', (condition, code) => {
    const r = parseCondition(condition, { file: 'x.yml', line: 9, column: 14 });
    expect(r.node).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual([code]);
    expect(r.diagnostics[0]?.location?.line).toBe(9);
  });

  it.each([
    ['SEL_A', 'SIGMA_UNKNOWN_IDENTIFIER'],
    ['1 of nothing_*', 'SIGMA_UNKNOWN_IDENTIFIER'],
  ])('reports "%s" as %s', (condition, code) => {
    const rs = compileRuleset([{ path: 'u.yml', text: ruleWith(condition) }], [pipeline]);
    expect(rs.diagnostics.map((d) => [d.code, d.location?.line])).toEqual([[code, 9]]);
  });

  it('places a condition error at its column', () => {
    const r = parseCondition('sel_a and )', { file: 'x.yml', line: 3, column: 14 });
    expect(r.diagnostics[0]?.location).toEqual({ file: 'x.yml', line: 3, column: 24 });
  });
});
