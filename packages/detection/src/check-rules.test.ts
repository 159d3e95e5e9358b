import { describe, expect, it } from 'vitest';
import { checkRules } from './check-rules.js';
import type { Pipeline } from './pipeline.js';

const pipeline: Pipeline = {
  name: 'test',
  logsources: [
    { logsource: { product: 'linux', category: 'process_creation' }, targets: [{ table: 'DeviceProcessEvents' }] },
  ],
};

const good = `title: Good
name: good
id: 88888888-0000-0000-0000-000000000001
logsource: {product: linux, category: process_creation}
detection:
  selection: {CommandLine|contains: 'x'}
  condition: selection
`;

describe('checkRules', () => {
  it.each([
    ['a good rule', good, true, []],
    ['a YAML syntax error', 'title: [unclosed\n', false, ['SIGMA_YAML_SYNTAX']],
    ['an empty file', '', false, ['SIGMA_EMPTY_FILE']],
    ['a missing title', good.replace('title: Good\n', ''), false, ['SIGMA_MISSING_TITLE']],
    ['an unknown modifier', good.replace('|contains', '|containz'), false, ['SIGMA_UNKNOWN_MODIFIER']],
    ['a missing condition', good.replace('  condition: selection\n', ''), false, ['SIGMA_MISSING_CONDITION']],
    [
      'an unknown identifier',
      good.replace('condition: selection', 'condition: sel'),
      false,
      ['SIGMA_UNKNOWN_IDENTIFIER'],
    ],
    ['an unmapped logsource', good.replace('linux', 'aix'), true, ['SIGMA_UNMAPPED_LOGSOURCE']],
    ['a non-rule document', 'title: x\nfoo: bar\n', false, ['SIGMA_UNSUPPORTED_DOCUMENT']],
  ])('reports %s', (_name, text, ok, codes) => {
    const [r, ...rest] = checkRules([{ path: 'r.yml', text }], [pipeline]);
    expect(rest).toEqual([]);
    expect(r?.ok).toBe(ok);
    expect(r?.diagnostics.map((d) => d.code)).toEqual(codes);
    for (const d of r?.diagnostics ?? []) expect(d.location?.file).toBe('r.yml');
  });

  it('names each rule of a multi-document file and resolves correlations across files', () => {
    const corr = `title: Corr
id: 88888888-0000-0000-0000-000000000002
correlation: {type: event_count, rules: [good], timespan: 1m, condition: {gte: 3}}
---
title: Broken
id: 88888888-0000-0000-0000-000000000003
correlation: {type: event_count, rules: [missing], timespan: 1m, condition: {gte: 3}}
`;
    const results = checkRules(
      [
        { path: 'c.yml', text: corr },
        { path: 'g.yml', text: good },
      ],
      [pipeline],
    );
    expect(results.map((r) => [r.path, r.title, r.ok, r.diagnostics.map((d) => d.code)])).toEqual([
      ['c.yml', 'Corr', true, []],
      ['c.yml', 'Broken', false, ['SIGMA_UNKNOWN_CORRELATED_RULE']],
      ['g.yml', 'Good', true, []],
    ]);
    expect(results[0]?.ruleId).toBe('88888888-0000-0000-0000-000000000002');
  });
});

describe('sigmaDiagnosticCodes', () => {
  it('lists every code the package emits', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { dirname } = await import('node:path');
    const { fileURLToPath } = await import('node:url');
    const { sigmaDiagnosticCodes } = await import('./sigma-diagnostic.js');
    const dir = dirname(fileURLToPath(import.meta.url));
    const used = new Set<string>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      for (const m of readFileSync(`${dir}/${f}`, 'utf8').matchAll(/'((?:SIGMA|PIPELINE)_[A-Z_]+)'/g))
        used.add(m[1] ?? '');
    }
    expect([...used].filter((c) => !(c in sigmaDiagnosticCodes))).toEqual([]);
    expect(Object.keys(sigmaDiagnosticCodes).filter((c) => !used.has(c))).toEqual([]);
  });
});
