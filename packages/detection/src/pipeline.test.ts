import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTable } from '@vigil/schema';
import { describe, expect, it, vi } from 'vitest';
import { EventView } from './event-view.js';
import { sysmonRegistryKey } from './field-transforms.js';
import { type Pipeline, parsePipeline, resolveLogsource } from './pipeline.js';
import { compileRuleset } from './ruleset.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'content', 'pipelines');
const pipelines: Pipeline[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const p = parsePipeline(JSON.parse(readFileSync(join(dir, f), 'utf8')), f);
    expect(p.diagnostics).toEqual([]);
    return p.pipeline!;
  });

/** Mapped names that are original event fields (or extras the Windows normalizer adds), not table columns. */
const originalFieldNames = new Set(['PipeName', 'Payload', 'ContextInfo', 'ScriptBlockText', 'DesiredAccess']);

describe('pipelines in content/pipelines', () => {
  it('map every Sigma field to a column of each target table (or to an original field)', () => {
    const problems: string[] = [];
    for (const p of pipelines) {
      for (const ls of p.logsources) {
        for (const t of ls.targets) {
          if (t.table === '*' || t.table === 'VigilRawEvents') continue;
          const table = findTable(t.table);
          if (!table) {
            problems.push(`${p.name}: unknown table ${t.table}`);
            continue;
          }
          const columns = new Set(table.columns.map((c) => c.name));
          for (const [field, m] of Object.entries({ ...p.fields, ...ls.fields })) {
            const names = typeof m === 'string' ? [m] : Array.isArray(m) ? m : 'join' in m ? m.join : [];
            for (const n of names as string[]) {
              if (!columns.has(n) && !originalFieldNames.has(n)) {
                problems.push(`${p.name} ${JSON.stringify(ls.logsource)}: ${field} → ${t.table}.${n} is no column`);
              }
            }
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it.each([
    [{ product: 'windows', category: 'process_creation' }, 'DeviceProcessEvents'],
    [{ product: 'windows', category: 'registry_set' }, 'DeviceRegistryEvents'],
    [{ product: 'windows', service: 'security' }, '*'],
    [{ product: 'linux', category: 'process_creation' }, 'DeviceProcessEvents'],
    [{ product: 'linux', service: 'auditd' }, 'VigilRawEvents'],
  ])('resolve %j to %s', (logsource, table) => {
    expect(resolveLogsource(pipelines, logsource)?.targets.map((t) => t.table)).toContain(table);
  });

  it('leave logsources without a table unresolved', () => {
    expect(resolveLogsource(pipelines, { product: 'aws', service: 'cloudtrail' })).toBeUndefined();
    expect(resolveLogsource(pipelines, { product: 'windows', category: 'no_such_category' })).toBeUndefined();
  });
});

describe('parsePipeline', () => {
  it.each([
    [null, 'a pipeline must be a JSON object'],
    [{ logsources: [] }, '`name` must be text'],
    [{ name: 'x', logsources: [{ logsource: {}, targets: [] }] }, 'logsources[0].targets must be a list'],
    [
      { name: 'x', logsources: [{ logsource: {}, targets: [{}] }] },
      'logsources[0].targets: every target needs a table',
    ],
    [
      { name: 'x', logsources: [{ logsource: {}, targets: [{ table: 'T' }], fields: { A: { transform: 'nope' } } }] },
      'unknown field transform "nope"',
    ],
  ])('rejects %j', (data, message) => {
    const r = parsePipeline(data, 'p.json');
    expect(r.pipeline).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.message])).toContainEqual(['PIPELINE_INVALID', message]);
  });
});

describe('field resolution without original fields', () => {
  const registry = (columns: Record<string, unknown>) => ({
    table: 'DeviceRegistryEvents',
    row: { ActionType: 'RegistryValueSet', ...columns },
  });
  const rule = (selection: string) => `title: r
id: 66666666-0000-0000-0000-000000000001
logsource: {product: windows, category: registry_set}
detection:
  selection: {${selection}}
  condition: selection
`;
  it.each([
    [
      "TargetObject|startswith: 'HKLM\\SOFTWARE\\'",
      { RegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\X', RegistryValueName: 'V' },
    ],
    ["TargetObject|endswith: '\\X\\V'", { RegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\X', RegistryValueName: 'V' }],
    ["Details: 'DWORD (0x00000001)'", { RegistryValueType: 'Dword', RegistryValueData: '1' }],
    ["Details: 'QWORD (0x00000001-0x00000000)'", { RegistryValueType: 'Qword', RegistryValueData: '4294967296' }],
    ["Details: 'C:\\x.exe'", { RegistryValueType: 'String', RegistryValueData: 'C:\\x.exe' }],
    ["Details: 'Binary Data'", { RegistryValueType: 'Binary' }],
  ])('rebuilds Sysmon spelling for %s', (selection, columns) => {
    const rs = compileRuleset([{ path: 'r.yml', text: rule(selection) }], pipelines);
    expect(rs.match(registry(columns))).toHaveLength(1);
  });

  it('abbreviates hives like Sysmon', () => {
    expect(sysmonRegistryKey('HKEY_CURRENT_USER\\S-1-5-21-1\\Software')).toBe('HKU\\S-1-5-21-1\\Software');
    expect(sysmonRegistryKey('HKEY_CLASSES_ROOT\\x')).toBe('HKCR\\x');
  });
});

describe('EventView', () => {
  it('parses AdditionalFields once per event, whatever the number of rules', () => {
    const rules = Array.from({ length: 20 }, (_, i) => ({
      path: `r${i}.yml`,
      text: `title: r${i}\nid: 77777777-0000-0000-0000-${String(i).padStart(12, '0')}\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s: {CurrentDirectory|contains: 'dir${i}'}\n  condition: s\n`,
    }));
    const rs = compileRuleset(rules, pipelines);
    const spy = vi.spyOn(JSON, 'parse');
    const matches = rs.match({
      table: 'DeviceProcessEvents',
      row: { ActionType: 'ProcessCreated', AdditionalFields: '{"CurrentDirectory":"C:\\\\dir7\\\\"}' },
    });
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    expect(matches.map((m) => m.title)).toEqual(['r7']);
  });

  it('reads raw events through Fields and infers the platform', () => {
    const view = new EventView({
      table: 'VigilRawEvents',
      row: { Source: 'linux:auditd', EventType: 'EXECVE', Fields: { a0: 'nc' } },
    });
    expect(view.original().get('a0')).toBe('nc');
    expect([view.source(), view.eventId(), view.platform()]).toEqual(['linux:auditd', 'EXECVE', 'linux']);
  });
});
