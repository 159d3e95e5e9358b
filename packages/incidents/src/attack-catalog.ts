/** ATT&CK technique names and tactics by technique id (`T1059.001`). */
export interface AttackCatalog {
  readonly version: string;
  readonly techniques: Readonly<Record<string, { readonly name: string; readonly tactics: readonly string[] }>>;
}

/** A technique of an alert with its name and tactics, when the catalog knows it. */
export interface TechniqueDetail {
  readonly id: string;
  readonly name: string | null;
  readonly tactics: readonly string[];
}

/**
 * Reads an ATT&CK STIX bundle (enterprise-attack.json): every attack-pattern that is neither revoked nor
 * deprecated, keyed by its mitre-attack external id, with its kill-chain phases as tactics.
 */
export function parseAttackBundle(bundle: unknown): AttackCatalog {
  const objects = (bundle as { objects?: unknown[] })?.objects;
  if (!Array.isArray(objects)) throw new Error('not a STIX bundle: it has no "objects" list');
  const techniques: Record<string, { name: string; tactics: string[] }> = {};
  let version = 'unknown';
  for (const o of objects) {
    const obj = o as {
      type?: string;
      name?: string;
      revoked?: boolean;
      x_mitre_deprecated?: boolean;
      x_mitre_version?: string;
      external_references?: { source_name?: string; external_id?: string }[];
      kill_chain_phases?: { kill_chain_name?: string; phase_name?: string }[];
    };
    if (obj.type === 'x-mitre-collection' && obj.x_mitre_version) version = obj.x_mitre_version;
    if (obj.type !== 'attack-pattern' || obj.revoked || obj.x_mitre_deprecated || !obj.name) continue;
    const id = obj.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (!id) continue;
    const tactics = (obj.kill_chain_phases ?? [])
      .filter((k) => k.kill_chain_name === 'mitre-attack' && k.phase_name)
      .map((k) => k.phase_name as string);
    techniques[id] = { name: obj.name, tactics };
  }
  if (Object.keys(techniques).length === 0) throw new Error('the bundle holds no ATT&CK techniques');
  return { version, techniques };
}

/** Names and tactics of technique ids; a sub-technique unknown to the catalog falls back to its parent's tactics. */
export function resolveTechniques(ids: readonly string[], catalog: AttackCatalog): TechniqueDetail[] {
  return ids.map((id) => {
    const t = catalog.techniques[id];
    if (t) return { id, name: t.name, tactics: t.tactics };
    const parent = catalog.techniques[id.split('.')[0] ?? ''];
    return { id, name: null, tactics: parent?.tactics ?? [] };
  });
}
