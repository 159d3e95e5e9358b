import { describe, expect, it } from 'vitest';
import type { DetectionEvent } from './detection-event.js';
import type { Pipeline } from './pipeline.js';
import { compileRuleset } from './ruleset.js';

const pipeline: Pipeline = {
  name: 'test',
  logsources: [
    {
      logsource: { product: 'windows', category: 'process_creation' },
      targets: [{ table: 'DeviceProcessEvents', actionTypes: ['ProcessCreated'] }],
      fields: { Image: 'FolderPath', CommandLine: 'ProcessCommandLine', ParentImage: 'InitiatingProcessFolderPath' },
    },
  ],
};

/** A one-selection process_creation rule around the given selection lines. */
function rule(selection: string, condition = 'selection', extra = ''): string {
  return `title: t
id: 11111111-1111-1111-1111-111111111111
logsource: {product: windows, category: process_creation}
detection:
  selection:
${selection
  .split('\n')
  .map((l) => `    ${l}`)
  .join('\n')}
${extra}
  condition: ${condition}
level: high
`;
}

function event(columns: Record<string, unknown>, additional?: Record<string, unknown>): DetectionEvent {
  const row: Record<string, unknown> = { ActionType: 'ProcessCreated', ...columns };
  if (additional) row.AdditionalFields = JSON.stringify(additional);
  return { table: 'DeviceProcessEvents', row };
}

function fires(text: string, e: DetectionEvent, placeholders?: Record<string, string[]>): boolean {
  const rs = compileRuleset([{ path: 'r.yml', text }], [pipeline], placeholders ? { placeholders } : {});
  const errors = rs.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.code).join(','));
  return rs.match(e).length === 1;
}

const utf16leB64 = (s: string) => btoa(Array.from(s, (c) => `${c}\0`).join(''));

const cases: [string, string, DetectionEvent, boolean][] = [
  [
    'plain value is a case-insensitive equality',
    "Image: 'C:\\Windows\\cmd.exe'",
    event({ FolderPath: 'c:\\windows\\CMD.EXE' }),
    true,
  ],
  ['plain value does not match a substring', "Image: 'cmd.exe'", event({ FolderPath: 'C:\\Windows\\cmd.exe' }), false],
  ['contains', "CommandLine|contains: ' -enc '", event({ ProcessCommandLine: 'powershell -ENC abc' }), true],
  ['contains negative', "CommandLine|contains: ' -enc '", event({ ProcessCommandLine: 'powershell -e abc' }), false],
  ['startswith', "CommandLine|startswith: 'net '", event({ ProcessCommandLine: 'NET user' }), true],
  ['startswith negative', "CommandLine|startswith: 'net '", event({ ProcessCommandLine: 'x net user' }), false],
  ['endswith', "Image|endswith: '\\rundll32.exe'", event({ FolderPath: 'C:\\W\\RunDll32.exe' }), true],
  ['endswith negative', "Image|endswith: '\\rundll32.exe'", event({ FolderPath: 'C:\\W\\rundll32.exe.bak' }), false],
  ['list is OR', "Image|endswith:\n  - '\\a.exe'\n  - '\\b.exe'", event({ FolderPath: 'C:\\b.exe' }), true],
  [
    'all makes a list AND',
    "CommandLine|contains|all:\n  - 'a1'\n  - 'b2'",
    event({ ProcessCommandLine: 'x b2 a1' }),
    true,
  ],
  ['all negative', "CommandLine|contains|all:\n  - 'a1'\n  - 'b2'", event({ ProcessCommandLine: 'x a1' }), false],
  ['* wildcard', "CommandLine: 'cmd*/c*whoami'", event({ ProcessCommandLine: 'CMD.exe /C echo & whoami' }), true],
  ['? wildcard', "CommandLine: 'ab?d'", event({ ProcessCommandLine: 'abXd' }), true],
  ['? wildcard is one character', "CommandLine: 'ab?d'", event({ ProcessCommandLine: 'abXYd' }), false],
  ['escaped * is literal', "CommandLine: 'a\\*b'", event({ ProcessCommandLine: 'a*b' }), true],
  ['escaped * does not glob', "CommandLine: 'a\\*b'", event({ ProcessCommandLine: 'aXb' }), false],
  ['backslash before a letter stays', "Image: 'C:\\Temp\\x.exe'", event({ FolderPath: 'C:\\Temp\\x.exe' }), true],
  ['cased', "CommandLine|contains|cased: 'Invoke-'", event({ ProcessCommandLine: 'invoke-x' }), false],
  ['cased positive', "CommandLine|contains|cased: 'Invoke-'", event({ ProcessCommandLine: 'Invoke-x' }), true],
  ['base64', "CommandLine|base64|contains: 'whoami'", event({ ProcessCommandLine: `x ${btoa('whoami')}` }), true],
  ...[0, 1, 2].map((i): [string, string, DetectionEvent, boolean] => [
    `base64offset at offset ${i}`,
    "CommandLine|base64offset|contains: 'http://'",
    event({ ProcessCommandLine: btoa(`${'ab'.slice(0, i)}http://evil`) }),
    true,
  ]),
  [
    'wide base64offset',
    "CommandLine|wide|base64offset|contains: 'IEX'",
    event({ ProcessCommandLine: utf16leB64('x;IEX(y)') }),
    true,
  ],
  [
    'utf16le base64',
    "CommandLine|utf16le|base64|contains: 'ab'",
    event({ ProcessCommandLine: utf16leB64('ab') }),
    true,
  ],
  ['utf16be base64', "CommandLine|utf16be|base64|contains: 'ab'", event({ ProcessCommandLine: btoa('\0a\0b') }), true],
  [
    'utf16 base64 with BOM',
    "CommandLine|utf16|base64|contains: 'ab'",
    event({ ProcessCommandLine: btoa('\xff\xfea\0b\0') }),
    true,
  ],
  ['windash with a slash', "CommandLine|windash|contains: ' -s '", event({ ProcessCommandLine: 'x /s y' }), true],
  [
    'windash with an en dash',
    "CommandLine|windash|contains: ' -s '",
    event({ ProcessCommandLine: 'x \u2013s y' }),
    true,
  ],
  ['windash negative', "CommandLine|windash|contains: ' -s '", event({ ProcessCommandLine: 'x s y' }), false],
  ['re', "CommandLine|re: '\\d{3}-\\d{2}'", event({ ProcessCommandLine: 'id 123-45' }), true],
  ['re is case-sensitive', "CommandLine|re: 'ABC'", event({ ProcessCommandLine: 'abc' }), false],
  ['re|i', "CommandLine|re|i: 'ABC'", event({ ProcessCommandLine: 'abc' }), true],
  ['re|m', "CommandLine|re|m: '^b$'", event({ ProcessCommandLine: 'a\nb\nc' }), true],
  ['re|s', "CommandLine|re|s: 'a.b'", event({ ProcessCommandLine: 'a\nb' }), true],
  ['re without s', "CommandLine|re: 'a.b'", event({ ProcessCommandLine: 'a\nb' }), false],
  ['re inline (?i)', "CommandLine|re: '(?i)abc'", event({ ProcessCommandLine: 'ABC' }), true],
  ['cidr v4', "DestinationIp|cidr: '10.0.0.0/8'", event({}, { DestinationIp: '10.1.2.3' }), true],
  ['cidr v4 negative', "DestinationIp|cidr: '10.0.0.0/8'", event({}, { DestinationIp: '11.1.2.3' }), false],
  ['cidr v6', "DestinationIp|cidr: 'fe80::/10'", event({}, { DestinationIp: 'fe80::1' }), true],
  ['exists true', 'CurrentDirectory|exists: true', event({}, { CurrentDirectory: 'C:\\' }), true],
  ['exists true negative', 'CurrentDirectory|exists: true', event({}), false],
  ['exists false', 'CurrentDirectory|exists: false', event({}), true],
  ['gt', 'LogonId|gt: 10', event({}, { LogonId: '11' }), true],
  ['gt negative', 'LogonId|gt: 10', event({}, { LogonId: '10' }), false],
  ['gte', 'LogonId|gte: 10', event({}, { LogonId: 10 }), true],
  ['lt', 'LogonId|lt: 10', event({}, { LogonId: '9' }), true],
  ['lte', 'LogonId|lte: 10', event({}, { LogonId: '11' }), false],
  [
    'fieldref',
    'Image|fieldref: ParentImage',
    event({ FolderPath: 'C:\\a.exe', InitiatingProcessFolderPath: 'c:\\A.exe' }),
    true,
  ],
  [
    'fieldref negative',
    'Image|fieldref: ParentImage',
    event({ FolderPath: 'C:\\a.exe', InitiatingProcessFolderPath: 'C:\\b.exe' }),
    false,
  ],
  ['null matches a missing field', 'OriginalFileName: null', event({ FolderPath: 'x' }), true],
  ['null does not match a present field', 'OriginalFileName: null', event({}, { OriginalFileName: 'x.exe' }), false],
  ['empty string matches an empty field', "OriginalFileName: ''", event({}, { OriginalFileName: '' }), true],
  ['numbers compare as text', 'ProcessId: 4242', event({ ProcessId: 4242 }), true],
  [
    'original Windows field wins, any case',
    "image|endswith: '\\evil.exe'",
    event({ FolderPath: 'C:\\ok.exe' }, { Image: 'C:\\evil.exe' }),
    true,
  ],
  [
    'a column name works as a field',
    "ProcessCommandLine|contains: 'whoami'",
    event({ ProcessCommandLine: 'whoami /all' }),
    true,
  ],
];

describe('value modifiers', () => {
  it.each(cases)('%s', (_name, selection, e, expected) => {
    expect(fires(rule(selection), e)).toBe(expected);
  });

  it('expands placeholders from the map the caller passes', () => {
    const text = rule("CommandLine|contains|expand: '%domain%'");
    expect(fires(text, event({ ProcessCommandLine: 'CORP\\x' }), { domain: ['corp', 'lab'] })).toBe(true);
    expect(fires(text, event({ ProcessCommandLine: 'other' }), { domain: ['corp', 'lab'] })).toBe(false);
  });

  it('reports an unresolved placeholder, an unknown modifier and a bad regex with their places', () => {
    const rs = compileRuleset(
      [
        { path: 'a.yml', text: rule("CommandLine|expand: '%nope%'") },
        { path: 'b.yml', text: rule("CommandLine|contains|bogus: 'x'") },
        { path: 'c.yml', text: rule("CommandLine|re: '(unclosed'") },
      ],
      [pipeline],
    );
    const found = rs.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.code, d.location]);
    expect(found).toEqual([
      ['SIGMA_UNRESOLVED_PLACEHOLDER', { file: 'a.yml', line: 6, column: 5 }],
      ['SIGMA_UNKNOWN_MODIFIER', { file: 'b.yml', line: 6, column: 26 }],
      ['SIGMA_BAD_REGEX', { file: 'c.yml', line: 6, column: 5 }],
    ]);
    expect(rs.rules).toHaveLength(0);
  });
});

describe('keywords', () => {
  const text = `title: k
id: 22222222-2222-2222-2222-222222222222
logsource: {product: windows, category: process_creation}
detection:
  keywords:
    - 'mimikatz'
    - 'sekurlsa::'
  condition: keywords
`;
  it.each([
    ['anywhere in the event', event({ ProcessCommandLine: 'run SEKURLSA::logonpasswords' }), true],
    ['in an original field', event({}, { Description: 'Mimikatz for Windows' }), true],
    ['nowhere', event({ ProcessCommandLine: 'notepad' }), false],
  ])('%s', (_n, e, expected) => {
    expect(fires(text, e)).toBe(expected);
  });
});
