import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from './detection-event.js';
import type { Pipeline } from './pipeline.js';
import type { RuleMatch } from './rule-match.js';
import { compileRuleset } from './ruleset.js';

const pipeline: Pipeline = {
  name: 'test',
  logsources: [
    { logsource: { product: 'windows', service: 'security' }, targets: [{ table: '*', sources: ['evtx:Security'] }] },
    {
      logsource: { product: 'linux', category: 'process_creation' },
      targets: [{ table: 'DeviceProcessEvents', actionTypes: ['ProcessCreated'] }],
      fields: { CommandLine: 'ProcessCommandLine', User: 'AccountName' },
    },
  ],
};

const base = `title: Failed logon
name: failed_logon
id: 44444444-0000-0000-0000-000000000001
logsource: {product: windows, service: security}
detection:
  selection: {EventID: 4625}
  condition: selection
---
title: Whoami
name: whoami
id: 44444444-0000-0000-0000-000000000002
logsource: {product: linux, category: process_creation}
detection:
  selection: {CommandLine|startswith: 'whoami'}
  condition: selection
---
title: Id
name: id_cmd
id: 44444444-0000-0000-0000-000000000003
logsource: {product: linux, category: process_creation}
detection:
  selection: {CommandLine|startswith: 'id'}
  condition: selection
`;

function correlation(body: string): string {
  return `${base}---
title: Correlated
id: 55555555-0000-0000-0000-000000000001
level: high
tags: [attack.t1110]
correlation:
${body}`;
}

const t0 = Date.parse('2026-11-20T10:00:00Z');
const at = (seconds: number) => new Date(t0 + seconds * 1000).toISOString();

function logonFailed(seconds: number, user: string, ip: string): DetectionEvent {
  return {
    table: 'DeviceLogonEvents',
    row: {
      Timestamp: at(seconds),
      ActionType: 'LogonFailed',
      AccountName: user,
      RemoteIP: ip,
      AdditionalFields: JSON.stringify({ EventID: 4625, Channel: 'Security', TargetUserName: user, IpAddress: ip }),
    },
  };
}

function proc(seconds: number, commandLine: string, device = 'h1'): DetectionEvent {
  return {
    table: 'DeviceProcessEvents',
    row: { Timestamp: at(seconds), ActionType: 'ProcessCreated', DeviceName: device, ProcessCommandLine: commandLine },
  };
}

function run(text: string, events: readonly DetectionEvent[]): RuleMatch[] {
  const rs = compileRuleset([{ path: 'corr.yml', text }], [pipeline]);
  expect(rs.diagnostics).toEqual([]);
  const state = rs.createState();
  return events.flatMap((e) => rs.evaluate(e, state)).filter((m) => m.kind === 'correlation');
}

const eventCount = correlation(`  type: event_count
  rules: [failed_logon]
  group-by: [TargetUserName]
  timespan: 5m
  condition: {gte: 5}
`);
const valueCount = correlation(`  type: value_count
  rules: [failed_logon]
  group-by: [IpAddress]
  timespan: 10m
  condition: {field: TargetUserName, gte: 3}
`);
const temporal = correlation(`  type: temporal
  rules: [whoami, id_cmd]
  group-by: [DeviceName]
  timespan: 1m
`);
const ordered = correlation(`  type: temporal_ordered
  rules: [whoami, id_cmd]
  group-by: [DeviceName]
  timespan: 1m
`);

const cases: [string, string, DetectionEvent[], number][] = [
  [
    'event_count: 5 failures in 2 minutes',
    eventCount,
    [0, 30, 60, 90, 120].map((s) => logonFailed(s, 'alice', '10.0.0.9')),
    1,
  ],
  [
    'event_count: 5 failures spread over 8 minutes',
    eventCount,
    [0, 120, 240, 360, 480].map((s) => logonFailed(s, 'alice', '10.0.0.9')),
    0,
  ],
  [
    'event_count: 5 failures of different users',
    eventCount,
    [0, 1, 2, 3, 4].map((s) => logonFailed(s, s % 2 ? 'a' : 'b', '10.0.0.9')),
    0,
  ],
  [
    'event_count: 10 failures fire twice',
    eventCount,
    Array.from({ length: 10 }, (_, i) => logonFailed(i, 'bob', '10.0.0.9')),
    2,
  ],
  [
    'value_count: 3 users from one address',
    valueCount,
    ['a', 'b', 'c'].map((u, i) => logonFailed(i * 60, u, '10.0.0.7')),
    1,
  ],
  ['value_count: 1 user 3 times', valueCount, [0, 1, 2].map((s) => logonFailed(s, 'a', '10.0.0.7')), 0],
  [
    'value_count: 3 users from 3 addresses',
    valueCount,
    ['a', 'b', 'c'].map((u, i) => logonFailed(i, u, `10.0.0.${i}`)),
    0,
  ],
  ['temporal: both within the window', temporal, [proc(0, 'id -u'), proc(30, 'whoami')], 1],
  ['temporal: too far apart', temporal, [proc(0, 'id -u'), proc(90, 'whoami')], 0],
  ['temporal: on different devices', temporal, [proc(0, 'id -u', 'h1'), proc(5, 'whoami', 'h2')], 0],
  ['temporal: only one rule', temporal, [proc(0, 'whoami'), proc(5, 'whoami')], 0],
  ['temporal_ordered: in order', ordered, [proc(0, 'whoami'), proc(10, 'id')], 1],
  ['temporal_ordered: wrong order', ordered, [proc(0, 'id'), proc(10, 'whoami')], 0],
  ['temporal_ordered: in order but too late', ordered, [proc(0, 'whoami'), proc(70, 'id')], 0],
];

describe('correlation rules', () => {
  it.each(cases)('%s', (_name, text, events, expected) => {
    expect(run(text, events)).toHaveLength(expected);
  });

  it('reports what a correlation aggregated', () => {
    const [m] = run(
      eventCount,
      [0, 30, 60, 90, 120].map((s) => logonFailed(s, 'alice', '10.0.0.9')),
    );
    expect(m).toMatchObject({
      ruleId: '55555555-0000-0000-0000-000000000001',
      techniques: ['T1110'],
      correlation: {
        type: 'event_count',
        group: { TargetUserName: 'alice' },
        count: 5,
        firstTime: t0,
        lastTime: t0 + 120_000,
      },
    });
  });

  it('hides base rules used only by correlations from evaluate, but not from match', () => {
    const rs = compileRuleset([{ path: 'corr.yml', text: eventCount }], [pipeline]);
    const e = logonFailed(0, 'alice', '10.0.0.9');
    expect(rs.evaluate(e, rs.createState())).toEqual([]);
    expect(rs.match(e).map((m) => m.correlationOnly)).toEqual([true]);
  });

  it('reports a correlation that names an unknown rule', () => {
    const text = correlation('  type: event_count\n  rules: [nope]\n  timespan: 5m\n  condition: {gte: 2}\n');
    const rs = compileRuleset([{ path: 'corr.yml', text }], [pipeline]);
    expect(rs.diagnostics.map((d) => d.code)).toEqual(['SIGMA_UNKNOWN_CORRELATED_RULE']);
  });

  it.each([
    ['  type: bogus\n  rules: [whoami]\n  timespan: 5m\n', 'SIGMA_UNKNOWN_CORRELATION_TYPE'],
    ['  type: event_count\n  rules: [whoami]\n  timespan: soon\n  condition: {gte: 2}\n', 'SIGMA_BAD_TIMESPAN'],
    ['  type: value_count\n  rules: [whoami]\n  timespan: 5m\n  condition: {gte: 2}\n', 'SIGMA_BAD_CORRELATION'],
  ])('rejects a malformed correlation (%#) with %s', (body, code) => {
    const rs = compileRuleset([{ path: 'corr.yml', text: correlation(body) }], [pipeline]);
    expect(rs.diagnostics.map((d) => d.code)).toContain(code);
    expect(rs.correlations).toHaveLength(0);
  });
});
