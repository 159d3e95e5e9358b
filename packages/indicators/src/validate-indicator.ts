import type { Diagnostic } from '@vigil/base';
import {
  type IndicatorAction,
  type IndicatorCheck,
  type IndicatorType,
  indicatorActions,
  indicatorTypes,
  type Severity,
  severities,
} from './indicator.js';

const HEX = (n: number) => new RegExp(`^[0-9a-fA-F]{${n}}$`);
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^([0-9a-fA-F]{1,4}:){7}[0-9a-fA-F]{1,4}$/;
const DOMAIN = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}\.?$/;

const VALUE_RULES: Readonly<Record<IndicatorType, { test: (v: string) => boolean; want: string }>> = {
  FileSha1: { test: (v) => HEX(40).test(v), want: '40 hexadecimal digits' },
  FileSha256: { test: (v) => HEX(64).test(v), want: '64 hexadecimal digits' },
  FileMd5: { test: (v) => HEX(32).test(v), want: '32 hexadecimal digits' },
  CertificateThumbprint: { test: (v) => HEX(40).test(v), want: 'a SHA-1 thumbprint of 40 hexadecimal digits' },
  IpAddress: {
    test: (v) => IPV4.test(v) || IPV6.test(v),
    want: 'an IPv4 dotted quad or a full IPv6 address (no ranges)',
  },
  DomainName: { test: (v) => DOMAIN.test(v), want: 'a domain name such as example.com' },
  Url: { test: (v) => /^https?:\/\/[^\s/$.?#][^\s]*$/i.test(v), want: 'an http:// or https:// URL' },
};

/** The value as Vigil compares it: lower-case hashes, domains and URLs, IPv6 in lower case. */
export function normalizeIndicatorValue(type: IndicatorType, value: string): string {
  const v = value.trim();
  if (type === 'Url') return v.replace(/^(https?:\/\/[^/]+)/i, (m) => m.toLowerCase());
  return v.replace(/\.$/, '').toLowerCase();
}

function bad(field: string, message: string, hint?: string): IndicatorCheck {
  const d: Diagnostic = {
    code: 'INDICATOR_INVALID',
    message,
    severity: 'error',
    location: { field },
    ...(hint ? { hint } : {}),
  };
  return { ok: false, diagnostic: d };
}

function oneOf<T extends string>(list: readonly T[], v: unknown): T | undefined {
  return list.find((x) => x.toLowerCase() === String(v).toLowerCase());
}

/** Checks a submitted indicator and fills its defaults. `Allow` is taken as `Allowed`, legacy `AlertAndBlock` as Block. */
export function validateIndicator(input: Record<string, unknown>, now: Date): IndicatorCheck {
  const type = oneOf(indicatorTypes, input.indicatorType);
  if (!type) return bad('indicatorType', `indicatorType must be one of ${indicatorTypes.join(', ')}`);
  const rawAction = String(input.action ?? '');
  const action: IndicatorAction | undefined =
    rawAction === 'Allow' ? 'Allowed' : rawAction === 'AlertAndBlock' ? 'Block' : oneOf(indicatorActions, rawAction);
  if (!action) return bad('action', `action must be one of ${indicatorActions.join(', ')}`);
  if (typeof input.indicatorValue !== 'string' || input.indicatorValue.trim() === '') {
    return bad('indicatorValue', 'indicatorValue is required');
  }
  const rule = VALUE_RULES[type];
  const value = normalizeIndicatorValue(type, input.indicatorValue);
  if (!rule.test(value))
    return bad('indicatorValue', `"${input.indicatorValue}" is not a valid ${type}`, `give ${rule.want}`);
  const severity: Severity | undefined = input.severity === undefined ? 'Medium' : oneOf(severities, input.severity);
  if (!severity) return bad('severity', `severity must be one of ${severities.join(', ')}`);
  let expirationTime: string | null = null;
  if (input.expirationTime !== undefined && input.expirationTime !== null) {
    const t = Date.parse(String(input.expirationTime));
    if (Number.isNaN(t)) return bad('expirationTime', 'expirationTime must be an ISO-8601 date-time');
    expirationTime = new Date(t).toISOString();
  }
  const techniques = Array.isArray(input.mitreTechniques) ? input.mitreTechniques.map(String) : [];
  if (techniques.some((t) => !/^T\d{4}(\.\d{3})?$/.test(t))) {
    return bad('mitreTechniques', 'mitreTechniques must be ATT&CK ids such as T1059 or T1059.001');
  }
  const iso = now.toISOString();
  return {
    ok: true,
    value: {
      indicatorValue: value,
      indicatorType: type,
      action,
      title: typeof input.title === 'string' && input.title ? input.title : `${type} ${value}`,
      description: typeof input.description === 'string' ? input.description : '',
      severity,
      recommendedActions: typeof input.recommendedActions === 'string' ? input.recommendedActions : '',
      generateAlert: input.generateAlert === undefined ? action !== 'Allowed' : Boolean(input.generateAlert),
      mitreTechniques: techniques,
      expirationTime,
      creationTimeDateTimeUtc: iso,
      lastUpdateTime: iso,
      externalId: typeof input.externalId === 'string' ? input.externalId : null,
    },
  };
}
