import type { Diagnostic } from '@vigil/base';
import type { IndicatorType } from './indicator.js';

/** An indicator read from a STIX 2.1 bundle, before validation. */
export interface StixIndicator {
  readonly indicatorType: IndicatorType;
  readonly indicatorValue: string;
  readonly title: string;
  readonly description: string;
  readonly expirationTime: string | null;
  readonly externalId: string;
  readonly mitreTechniques: readonly string[];
}

const OBJECT_PATHS: readonly [RegExp, IndicatorType][] = [
  [/^file:hashes\.'?SHA-?1'?$/i, 'FileSha1'],
  [/^file:hashes\.'?SHA-?256'?$/i, 'FileSha256'],
  [/^file:hashes\.'?MD5'?$/i, 'FileMd5'],
  [/^ipv4-addr:value$/i, 'IpAddress'],
  [/^ipv6-addr:value$/i, 'IpAddress'],
  [/^domain-name:value$/i, 'DomainName'],
  [/^url:value$/i, 'Url'],
  [/^x509-certificate:hashes\.'?SHA-?1'?$/i, 'CertificateThumbprint'],
];

const COMPARISON = /([a-z0-9-]+:[A-Za-z0-9_.'-]+)\s*=\s*'((?:[^'\\]|\\.)*)'/g;

/**
 * Reads the `indicator` objects of a STIX 2.1 bundle whose patterns are equality comparisons (joined by OR) on
 * file hashes, IP addresses, domains, URLs or certificate hashes; anything else is reported, not guessed.
 */
export function readStixBundle(bundle: unknown): { indicators: StixIndicator[]; problems: Diagnostic[] } {
  const indicators: StixIndicator[] = [];
  const problems: Diagnostic[] = [];
  const objects = (bundle as { type?: string; objects?: unknown[] })?.objects;
  if ((bundle as { type?: string })?.type !== 'bundle' || !Array.isArray(objects)) {
    problems.push({
      code: 'STIX_NOT_BUNDLE',
      message: 'expected a STIX 2.1 bundle: {"type":"bundle","objects":[...]}',
      severity: 'error',
    });
    return { indicators, problems };
  }
  const techniques = attackPatterns(objects);
  objects.forEach((o, i) => {
    const obj = o as Record<string, unknown>;
    if (obj.type !== 'indicator') return;
    const where = { field: `objects[${i}]` };
    if (obj.pattern_type !== undefined && obj.pattern_type !== 'stix') {
      problems.push({
        code: 'STIX_PATTERN_TYPE',
        message: `pattern_type ${String(obj.pattern_type)} is not supported`,
        severity: 'error',
        location: where,
      });
      return;
    }
    const pattern = String(obj.pattern ?? '');
    if (/\b(AND|FOLLOWEDBY|MATCHES|LIKE|ISSUBSET|ISSUPERSET|!=|<|>)\b/.test(pattern)) {
      problems.push({
        code: 'STIX_PATTERN_UNSUPPORTED',
        message: `only equality comparisons joined by OR are supported: ${pattern.slice(0, 120)}`,
        severity: 'error',
        location: where,
      });
      return;
    }
    let found = 0;
    for (const m of pattern.matchAll(COMPARISON)) {
      const path = m[1] ?? '';
      const type = OBJECT_PATHS.find(([re]) => re.test(path))?.[1];
      if (!type) {
        problems.push({
          code: 'STIX_OBJECT_UNSUPPORTED',
          message: `the object path ${path} has no indicator type`,
          severity: 'error',
          location: where,
        });
        continue;
      }
      found++;
      indicators.push({
        indicatorType: type,
        indicatorValue: (m[2] ?? '').replace(/\\(.)/g, '$1'),
        title: String(obj.name ?? `STIX ${type}`),
        description: String(obj.description ?? ''),
        expirationTime: typeof obj.valid_until === 'string' ? obj.valid_until : null,
        externalId: String(obj.id ?? ''),
        mitreTechniques: techniques.get(String(obj.id ?? '')) ?? [],
      });
    }
    if (found === 0 && !problems.some((p) => p.location?.field === where.field)) {
      problems.push({
        code: 'STIX_PATTERN_EMPTY',
        message: `no comparison found in pattern ${pattern.slice(0, 120)}`,
        severity: 'error',
        location: where,
      });
    }
  });
  return { indicators, problems };
}

/** Techniques linked to indicators by `indicates` relationships to attack-patterns with ATT&CK external ids. */
function attackPatterns(objects: readonly unknown[]): Map<string, string[]> {
  const ids = new Map<string, string>();
  for (const o of objects) {
    const obj = o as {
      type?: string;
      id?: string;
      external_references?: { source_name?: string; external_id?: string }[];
    };
    if (obj.type !== 'attack-pattern' || !obj.id) continue;
    const ref = obj.external_references?.find(
      (r) => r.source_name === 'mitre-attack' && /^T\d{4}/.test(r.external_id ?? ''),
    );
    if (ref?.external_id) ids.set(obj.id, ref.external_id);
  }
  const out = new Map<string, string[]>();
  for (const o of objects) {
    const rel = o as { type?: string; relationship_type?: string; source_ref?: string; target_ref?: string };
    if (rel.type !== 'relationship' || rel.relationship_type !== 'indicates' || !rel.source_ref || !rel.target_ref)
      continue;
    const t = ids.get(rel.target_ref);
    if (t) out.set(rel.source_ref, [...(out.get(rel.source_ref) ?? []), t]);
  }
  return out;
}
