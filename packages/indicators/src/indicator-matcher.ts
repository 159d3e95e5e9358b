import type { Indicator, IndicatorType } from './indicator.js';
import { normalizeIndicatorValue } from './validate-indicator.js';

/** One indicator that matched a row, and the column it matched. */
export interface IndicatorMatch {
  readonly indicator: Indicator;
  readonly column: string;
  readonly value: string;
}

/** The hunting columns each indicator type is compared with. */
export const indicatorColumns: Readonly<Record<IndicatorType, readonly string[]>> = {
  FileSha1: ['SHA1', 'InitiatingProcessSHA1'],
  FileSha256: ['SHA256', 'InitiatingProcessSHA256'],
  FileMd5: ['MD5', 'InitiatingProcessMD5'],
  CertificateThumbprint: ['SignerHash', 'IssuerHash'],
  IpAddress: ['RemoteIP', 'FileOriginIP', 'RequestSourceIP'],
  DomainName: ['RemoteUrl', 'FileOriginUrl', 'FileOriginReferrerUrl'],
  Url: ['RemoteUrl', 'FileOriginUrl', 'FileOriginReferrerUrl'],
};

function hostOf(value: string): string | undefined {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?([^:/?#\s]+)/i.exec(value.trim());
  return m?.[1]?.toLowerCase().replace(/\.$/, '');
}

/**
 * Matches rows against a set of indicators with one map lookup per candidate column: hashes and IPs exactly,
 * domains on the URL's host and every parent domain (a domain indicator covers its subdomains), URLs exactly.
 * Expired indicators never match.
 */
export class IndicatorMatcher {
  private readonly byType = new Map<IndicatorType, Map<string, Indicator>>();

  constructor(indicators: readonly Indicator[]) {
    for (const i of indicators) {
      let m = this.byType.get(i.indicatorType);
      if (!m) {
        m = new Map();
        this.byType.set(i.indicatorType, m);
      }
      m.set(i.indicatorValue, i);
    }
  }

  /** True when no indicator is loaded (matching can be skipped). */
  get empty(): boolean {
    return this.byType.size === 0;
  }

  match(row: Readonly<Record<string, unknown>>, now: Date): IndicatorMatch[] {
    const out: IndicatorMatch[] = [];
    for (const [type, map] of this.byType) {
      for (const column of indicatorColumns[type]) {
        const raw = row[column];
        if (typeof raw !== 'string' || raw === '') continue;
        for (const key of this.keys(type, raw)) {
          const indicator = map.get(key);
          if (indicator && !expired(indicator, now)) out.push({ indicator, column, value: raw });
        }
      }
    }
    return out;
  }

  private keys(type: IndicatorType, raw: string): string[] {
    if (type === 'DomainName') {
      const host = hostOf(raw);
      if (!host) return [];
      const parts = host.split('.');
      return parts.slice(0, -1).map((_, i) => parts.slice(i).join('.'));
    }
    if (type === 'Url') return [normalizeIndicatorValue('Url', raw)];
    return [raw.toLowerCase()];
  }
}

function expired(i: Indicator, now: Date): boolean {
  return i.expirationTime !== null && Date.parse(i.expirationTime) <= now.getTime();
}
