import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseAttackBundle, resolveTechniques } from './attack-catalog.js';

const CORPORA =
  process.env.VIGIL_CORPORA ?? resolve(fileURLToPath(new URL('../../../../shared/corpora', import.meta.url)));
const BUNDLE = join(CORPORA, 'mitre-attack-enterprise', 'enterprise-attack.json');
const DEFAULT = fileURLToPath(new URL('../../../content/attack/default-techniques.json', import.meta.url));

describe('ATT&CK catalog', () => {
  const bundle = {
    type: 'bundle',
    objects: [
      { type: 'x-mitre-collection', x_mitre_version: '18.1' },
      {
        type: 'attack-pattern',
        name: 'PowerShell',
        external_references: [{ source_name: 'mitre-attack', external_id: 'T1059.001' }],
        kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }],
      },
      {
        type: 'attack-pattern',
        name: 'Old',
        revoked: true,
        external_references: [{ source_name: 'mitre-attack', external_id: 'T9999' }],
      },
    ],
  };

  it('reads techniques and resolves ids, falling back to the parent tactics', () => {
    const c = parseAttackBundle(bundle);
    expect(c.version).toBe('18.1');
    expect(resolveTechniques(['T1059.001', 'T9999', 'T1059.002'], c)).toEqual([
      { id: 'T1059.001', name: 'PowerShell', tactics: ['execution'] },
      { id: 'T9999', name: null, tactics: [] },
      { id: 'T1059.002', name: null, tactics: [] },
    ]);
    expect(() => parseAttackBundle({ type: 'bundle', objects: [] })).toThrow(/no ATT&CK techniques/);
  });

  it.skipIf(!existsSync(BUNDLE))(
    'agrees with the full bundle on every technique of the bundled default (VIGIL_CORPORA)',
    () => {
      const full = parseAttackBundle(JSON.parse(readFileSync(BUNDLE, 'utf8')));
      const small = JSON.parse(readFileSync(DEFAULT, 'utf8')) as {
        techniques: Record<string, { name: string; tactics: string[] }>;
      };
      expect(Object.keys(full.techniques).length).toBeGreaterThan(600);
      for (const [id, t] of Object.entries(small.techniques)) {
        expect(full.techniques[id]?.name, id).toBe(t.name);
        expect([...(full.techniques[id]?.tactics ?? [])].sort(), id).toEqual([...t.tactics].sort());
      }
    },
  );
});
