import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Pipeline, parsePipeline } from './pipeline.js';
import { compileRuleset } from './ruleset.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'content', 'pipelines');
const pipelines: Pipeline[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => parsePipeline(JSON.parse(readFileSync(join(dir, f), 'utf8')), f).pipeline as Pipeline);

const rule = (n: number, selection: string, logsource = '{product: windows, category: process_creation}') => ({
  path: `r${n}.yml`,
  text: `title: r${n}
id: 77777777-0000-0000-0000-00000000000${n}
logsource: ${logsource}
detection:
  selection: {${selection}}
  condition: selection
`,
});

const T = 'DeviceProcessEvents';
const line = (row: Record<string, unknown>) => JSON.stringify({ Table: T, ActionType: 'ProcessCreated', ...row });

describe('RuleIndex.mayMatchLine', () => {
  const rs = compileRuleset(
    [rule(1, 'CommandLine|contains: \'\\\\temp\\\\x "q"\''), rule(2, "Image|endswith: '\\\\evil.exe'")],
    pipelines,
  );

  it.each([
    [
      'a literal with a backslash and quotes, as JSON spells it',
      { ProcessCommandLine: 'run C:\\TEMP\\x "q" now' },
      true,
    ],
    ['a Windows path that holds no literal', { FolderPath: 'C:\\Windows\\System32\\cmd.exe' }, false],
    ['the literal in another case', { FolderPath: 'C:\\Users\\EVIL.EXE' }, true],
    [
      'the literal in AdditionalFields given as JSON text',
      { AdditionalFields: JSON.stringify({ Image: 'D:\\evil.exe' }) },
      true,
    ],
    ['the literal in AdditionalFields given as an object', { AdditionalFields: { Image: 'D:\\evil.exe' } }, true],
  ])('%s', (_, row, expected) => {
    const l = line(row);
    expect(rs.mayMatchLine(T, l)).toBe(expected);
    // The rules match the parsed row exactly where the line may match (these literals decide alone).
    const { Table: _t, ...parsed } = JSON.parse(l) as Record<string, unknown>;
    expect(rs.match({ table: T, row: parsed }).length > 0).toBe(expected);
  });

  it('folds case like toLowerCase, also where V8 regex case folding would not (Kelvin sign, dotted I)', () => {
    // ASCII literals only: the regex path, except for lines with those two characters.
    const k = compileRuleset([rule(7, "CommandLine|contains: 'k.exe'")], pipelines);
    expect(k.mayMatchLine(T, line({ ProcessCommandLine: 'run K.EXE für' }))).toBe(true);
    expect(k.mayMatchLine(T, line({ ProcessCommandLine: 'run \u212a.exe' }))).toBe(true);
    expect(
      k.match({ table: T, row: { ActionType: 'ProcessCreated', ProcessCommandLine: 'run \u212a.exe' } }),
    ).toHaveLength(1);
    expect(k.mayMatchLine(T, line({ ProcessCommandLine: 'run j.exe für' }))).toBe(false);
    const dotted = compileRuleset([rule(8, "CommandLine|contains: 'i\u0307x'")], pipelines);
    expect(dotted.mayMatchLine(T, line({ ProcessCommandLine: 'run \u0130X' }))).toBe(true);
    expect(dotted.mayMatchLine(T, line({ ProcessCommandLine: 'run IX' }))).toBe(false);
  });

  it('parses lines whose text may differ from their values: other escapes, nested escapes, registry columns', () => {
    // "\u0065vil.exe" is "evil.exe"; a nested "\\t" is a tab one level down.
    expect(rs.mayMatchLine(T, '{"FolderPath":"C:\\\\x\\\\\\u0065vil.exe"}')).toBe(true);
    expect(rs.mayMatchLine(T, '{"AdditionalFields":"{\\"a\\":\\"x\\\\ty\\"}"}')).toBe(true);
    expect(rs.mayMatchLine(T, '{"AdditionalFields":"{\\"a\\":\\"x\\\\\\\\y\\"}"}')).toBe(false);
    expect(rs.mayMatchLine(T, '{"RegistryKey":"HKLM"}')).toBe(true);
  });

  it('parses every line of a table that a rule without literal or with a numeric literal may apply to', () => {
    const noLiteral = compileRuleset([rule(3, 'CommandLine|re: ".*"')], pipelines);
    expect(noLiteral.mayMatchLine(T, line({ FileName: 'a' }))).toBe(true);
    const numeric = compileRuleset([rule(4, "CommandLine|contains: '4444'")], pipelines);
    expect(numeric.mayMatchLine(T, line({ FileName: 'a' }))).toBe(true);
    // Rules of other tables leave this one alone; a table no rule reads needs only the careful checks.
    expect(rs.mayMatchLine('DeviceNetworkEvents', line({ RemoteUrl: 'evil.exe' }))).toBe(false);
    expect(rs.lineFinder('DeviceNetworkEvents')?.test(line({ RemoteUrl: 'evil.exe' }))).toBe(false);
    const files = compileRuleset(
      [rule(5, 'TargetFilename|re: ".*"', '{product: windows, category: file_event}')],
      pipelines,
    );
    expect(files.mayMatchLine(T, line({ FileName: 'a' }))).toBe(false);
    // So do rules of another platform, when the line's paths tell its platform.
    const linux = compileRuleset(
      [rule(6, 'CommandLine|re: ".*"', '{product: linux, category: process_creation}')],
      pipelines,
    );
    expect(linux.mayMatchLine(T, line({ FolderPath: 'C:\\x.exe' }))).toBe(false);
    expect(linux.mayMatchLine(T, line({ FolderPath: null, InitiatingProcessFolderPath: 'C:\\x.exe' }))).toBe(false);
    expect(linux.mayMatchLine(T, line({ FolderPath: '/bin/sh' }))).toBe(true);
    expect(linux.mayMatchLine(T, line({ FolderPath: '' }))).toBe(true);
    expect(linux.mayMatchLine(T, line({ FileName: 'a' }))).toBe(true);
  });

  it('lineFinder touches every line of a whole NDJSON text that mayMatchLine keeps', () => {
    const rows: Record<string, unknown>[] = [
      { ProcessCommandLine: 'run C:\\TEMP\\x "q" now' },
      { FolderPath: 'C:\\Windows\\System32\\cmd.exe' },
      { FolderPath: 'C:\\Users\\EVIL.EXE' },
      { AdditionalFields: JSON.stringify({ Image: 'D:\\evil.exe' }) },
      { FolderPath: 'C:\\x\ty' },
      { RegistryKey: 'HKLM' },
      { Source: 'x' },
      { ProcessCommandLine: 'run \u212a' },
      { FolderPath: '/bin/sh', ProcessCommandLine: 'ls' },
      { ProcessCommandLine: 'run \u0130', ProductName: 'Windows®' },
      { FolderPath: 'C:\\Users\\Zoë\\evil.exe' },
      { FolderPath: 'C:\\Users\\Zoë\\good.exe', ProductName: 'Microsoft® Windows®' },
    ];
    const lines = rows.map(line);
    const finder = rs.lineFinder(T);
    expect(finder).toBeDefined();
    const utf8 = Buffer.from(`${lines.join('\n')}\n`);
    // As text, and as the UTF-8 bytes read as Latin-1 (a character per byte), as the detection worker reads them.
    for (const text of [utf8.toString('utf8'), utf8.toString('latin1')]) {
      const touched = new Set<number>();
      for (let m = finder?.exec(text); m; m = finder?.exec(text))
        touched.add(text.slice(0, m.index).split('\n').length - 1);
      const kept = lines.flatMap((l, i) => (rs.mayMatchLine(T, l) ? [i] : []));
      expect(kept).toEqual(expect.arrayContaining([7, 9, 10]));
      for (const i of kept) expect(touched).toContain(i);
      // Lines with nothing in them stay untouched.
      expect(touched).not.toContain(1);
      expect(touched).not.toContain(8);
      expect(touched).not.toContain(11);
    }
  });
});
