import { describe, expect, it } from 'vitest';
import type { Indicator } from './indicator.js';
import { IndicatorMatcher } from './indicator-matcher.js';
import { readStixBundle } from './stix-bundle.js';
import { validateIndicator } from './validate-indicator.js';

const NOW = new Date('2026-11-29T00:00:00Z');

function indicator(input: Record<string, unknown>, id = 'i1'): Indicator {
  const r = validateIndicator(input, NOW);
  if (!r.ok) throw new Error(r.diagnostic.message);
  return { ...r.value, id, createdBy: 'test' };
}

describe('validateIndicator', () => {
  it.each([
    [{ indicatorType: 'FileSha1', indicatorValue: 'ABC', action: 'Alert' }, 'indicatorValue'],
    [{ indicatorType: 'FileSha256', indicatorValue: 'a'.repeat(63), action: 'Alert' }, 'indicatorValue'],
    [{ indicatorType: 'IpAddress', indicatorValue: '10.0.0.0/8', action: 'Block' }, 'indicatorValue'],
    [{ indicatorType: 'IpAddress', indicatorValue: '300.1.1.1', action: 'Block' }, 'indicatorValue'],
    [{ indicatorType: 'DomainName', indicatorValue: 'not a domain', action: 'Audit' }, 'indicatorValue'],
    [{ indicatorType: 'Url', indicatorValue: 'ftp://x.example/a', action: 'Audit' }, 'indicatorValue'],
    [{ indicatorType: 'Hostname', indicatorValue: 'x', action: 'Audit' }, 'indicatorType'],
    [{ indicatorType: 'FileMd5', indicatorValue: 'a'.repeat(32), action: 'Explode' }, 'action'],
    [{ indicatorType: 'FileMd5', indicatorValue: 'a'.repeat(32), action: 'Audit', severity: 'Severe' }, 'severity'],
    [
      { indicatorType: 'FileMd5', indicatorValue: 'a'.repeat(32), action: 'Audit', expirationTime: 'soon' },
      'expirationTime',
    ],
    [
      { indicatorType: 'FileMd5', indicatorValue: 'a'.repeat(32), action: 'Audit', mitreTechniques: ['1059'] },
      'mitreTechniques',
    ],
  ])('rejects %j naming %s', (input, field) => {
    const r = validateIndicator(input, NOW);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic.location?.field).toBe(field);
  });

  it('normalizes values and fills defaults', () => {
    const i = indicator({ indicatorType: 'DomainName', indicatorValue: 'Evil.Example.COM.', action: 'Allow' });
    expect(i).toMatchObject({
      indicatorValue: 'evil.example.com',
      action: 'Allowed',
      generateAlert: false,
      severity: 'Medium',
    });
  });
});

describe('IndicatorMatcher', () => {
  const m = new IndicatorMatcher([
    indicator({ indicatorType: 'FileSha1', indicatorValue: 'A'.repeat(40), action: 'Alert' }, 'sha1'),
    indicator({ indicatorType: 'IpAddress', indicatorValue: '203.0.113.5', action: 'Block' }, 'ip'),
    indicator({ indicatorType: 'DomainName', indicatorValue: 'evil.example', action: 'Audit' }, 'domain'),
    indicator({ indicatorType: 'Url', indicatorValue: 'https://cdn.example.org/payload.ps1', action: 'Alert' }, 'url'),
    indicator(
      {
        indicatorType: 'IpAddress',
        indicatorValue: '198.51.100.7',
        action: 'Alert',
        expirationTime: '2026-01-01T00:00:00Z',
      },
      'old',
    ),
  ]);
  const ids = (row: Record<string, unknown>) => m.match(row, NOW).map((x) => `${x.indicator.id}@${x.column}`);

  it.each([
    [{ SHA1: 'a'.repeat(40) }, ['sha1@SHA1']],
    [{ InitiatingProcessSHA1: 'A'.repeat(40) }, ['sha1@InitiatingProcessSHA1']],
    [{ RemoteIP: '203.0.113.5' }, ['ip@RemoteIP']],
    [{ RemoteUrl: 'https://www.Evil.example/x?y=1' }, ['domain@RemoteUrl']],
    [{ RemoteUrl: 'evil.example' }, ['domain@RemoteUrl']],
    [{ RemoteUrl: 'notevil.example' }, []],
    [{ FileOriginUrl: 'https://CDN.example.org/payload.ps1' }, ['url@FileOriginUrl']],
    [{ RemoteIP: '198.51.100.7' }, []],
    [{ RemoteIP: '' }, []],
  ])('matches %j → %j', (row, expected) => {
    expect(ids(row)).toEqual(expected);
  });
});

describe('readStixBundle', () => {
  it('reads hash, IP, domain and URL indicators, with techniques from relationships', () => {
    const bundle = {
      type: 'bundle',
      id: 'bundle--1',
      objects: [
        {
          type: 'indicator',
          id: 'indicator--1',
          name: 'Bad file',
          pattern_type: 'stix',
          pattern: `[file:hashes.'SHA-256' = '${'b'.repeat(64)}'] OR [file:hashes.MD5 = '${'c'.repeat(32)}']`,
          valid_until: '2027-01-01T00:00:00Z',
        },
        { type: 'indicator', id: 'indicator--2', pattern_type: 'stix', pattern: "[domain-name:value = 'c2.example']" },
        {
          type: 'indicator',
          id: 'indicator--3',
          pattern_type: 'stix',
          pattern: "[ipv4-addr:value = '192.0.2.1' AND network-traffic:dst_port = 443]",
        },
        { type: 'indicator', id: 'indicator--4', pattern_type: 'sigma', pattern: 'title: x' },
        {
          type: 'attack-pattern',
          id: 'attack-pattern--9',
          external_references: [{ source_name: 'mitre-attack', external_id: 'T1071' }],
        },
        {
          type: 'relationship',
          relationship_type: 'indicates',
          source_ref: 'indicator--2',
          target_ref: 'attack-pattern--9',
        },
      ],
    };
    const { indicators, problems } = readStixBundle(bundle);
    expect(indicators.map((i) => [i.indicatorType, i.indicatorValue.slice(0, 12)])).toEqual([
      ['FileSha256', 'bbbbbbbbbbbb'],
      ['FileMd5', 'cccccccccccc'],
      ['DomainName', 'c2.example'],
    ]);
    expect(indicators[0]?.expirationTime).toBe('2027-01-01T00:00:00Z');
    expect(indicators[2]?.mitreTechniques).toEqual(['T1071']);
    expect(problems.map((p) => p.code)).toEqual(['STIX_PATTERN_UNSUPPORTED', 'STIX_PATTERN_TYPE']);
  });

  it('rejects what is not a bundle', () => {
    expect(readStixBundle({ type: 'indicator' }).problems[0]?.code).toBe('STIX_NOT_BUNDLE');
  });
});
