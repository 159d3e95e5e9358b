import { describe, expect, it } from 'vitest';
import type { TableSpec } from './table-spec.js';
import { columnTypes } from './table-spec.js';
import { findColumn, findTable, tableNames, tables } from './tables.js';

const registry: readonly TableSpec[] = tables;

const expectedColumnCounts: Record<string, number> = {
  DeviceInfo: 37,
  DeviceNetworkInfo: 16,
  DeviceProcessEvents: 68,
  DeviceNetworkEvents: 45,
  DeviceFileEvents: 58,
  DeviceRegistryEvents: 43,
  DeviceLogonEvents: 49,
  DeviceImageLoadEvents: 37,
  DeviceEvents: 65,
  DeviceFileCertificateInfo: 18,
  AlertInfo: 9,
  AlertEvidence: 43,
  DeviceTvmSoftwareInventory: 11,
  DeviceTvmSoftwareVulnerabilities: 15,
  DeviceTvmSoftwareVulnerabilitiesKB: 10,
  DeviceTvmSecureConfigurationAssessment: 12,
  DeviceTvmSecureConfigurationAssessmentKB: 10,
  VigilRawEvents: 7,
};

/** Column types checked by hand against docs/reference (defender-reference.md section 1.2). */
const spotChecks: readonly (readonly [table: string, column: string, type: string, position: number])[] = [
  ['DeviceInfo', 'OSBuild', 'long', 7],
  ['DeviceInfo', 'IsAzureADJoined', 'bool', 8],
  ['DeviceInfo', 'HostDeviceId', 'string', 36],
  ['DeviceNetworkInfo', 'NetworkAdapterVendor', 'string', 15],
  ['DeviceProcessEvents', 'ProcessId', 'long', 16],
  ['DeviceProcessEvents', 'ProcessCreationTime', 'datetime', 20],
  ['DeviceProcessEvents', 'ProcessUniqueId', 'string', 67],
  ['DeviceNetworkEvents', 'RemotePort', 'int', 5],
  ['DeviceNetworkEvents', 'LocalPort', 'int', 8],
  ['DeviceFileEvents', 'RequestSourcePort', 'int', 42],
  ['DeviceFileEvents', 'IsAzureInfoProtectionApplied', 'bool', 49],
  ['DeviceRegistryEvents', 'PreviousRegistryValueData', 'string', 10],
  ['DeviceLogonEvents', 'IsLocalAdmin', 'bool', 10],
  ['DeviceLogonEvents', 'LogonId', 'long', 11],
  ['DeviceEvents', 'InitiatingProcessLogonId', 'long', 52],
  ['DeviceFileCertificateInfo', 'CertificateCountersignatureTime', 'datetime', 14],
  ['AlertInfo', 'SentinelWorkspaceIds', 'string', 8],
  ['AlertEvidence', 'ApplicationId', 'int', 29],
  ['DeviceTvmSoftwareInventory', 'EndOfSupportDate', 'datetime', 9],
  ['DeviceTvmSoftwareVulnerabilities', 'CveTags', 'dynamic', 12],
  ['DeviceTvmSoftwareVulnerabilitiesKB', 'CvssScore', 'real', 1],
  ['DeviceTvmSoftwareVulnerabilitiesKB', 'AffectedSoftware', 'dynamic', 9],
  ['DeviceTvmSecureConfigurationAssessment', 'Timestamp', 'datetime', 3],
  ['DeviceTvmSecureConfigurationAssessment', 'ConfigurationImpact', 'real', 7],
  ['DeviceTvmSecureConfigurationAssessmentKB', 'ConfigurationBenchmarks', 'dynamic', 7],
  ['VigilRawEvents', 'Fields', 'dynamic', 5],
];

/** Removes comments and string literals (verbatim `@"..."` and regular, either quote) from a KQL query. */
function stripStringsAndComments(query: string): string {
  return query
    .replace(/\/\/[^\n]*/g, ' ')
    .replace(/@"[^"]*"|@'[^']*'/g, '""')
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
}

/** Names a query defines itself: `Name = expr` in extend, summarize, project, mv-expand or let. */
function definedNames(code: string): Set<string> {
  return new Set(Array.from(code.matchAll(/\b([A-Za-z_]\w*)\s*=(?![=~])/g), (m) => m[1] ?? ''));
}

/** The registered tables a query reads: the one it starts with and any it joins or unions. */
function referencedTables(code: string): TableSpec[] {
  return registry.filter((table) => new RegExp(`\\b${table.name}\\b`).test(code));
}

/**
 * Identifiers that look like column names (start with a capital letter, are not a function call and are not a
 * property of a dynamic value such as `Fields.TargetUserName` or `$left.DeviceId`).
 */
function columnLikeIdentifiers(code: string): string[] {
  return Array.from(code.matchAll(/(?<![.\w$])([A-Z]\w*)\b(?!\s*\()/g), (m) => m[1] ?? '');
}

/** The plain column names listed by each `| project` step (computed items `Name = expr` are skipped). */
function projectedColumns(code: string): string[] {
  const names: string[] = [];
  for (const match of code.matchAll(/\|\s*project\s+([^|]*)/g)) {
    for (const item of (match[1] ?? '').split(',')) {
      const name = item.trim();
      if (/^[A-Za-z_]\w*$/.test(name)) names.push(name);
    }
  }
  return names;
}

describe('table registry', () => {
  it('holds exactly the expected tables with the expected column counts', () => {
    const counts = Object.fromEntries(registry.map((table) => [table.name, table.columns.length]));
    expect(counts).toEqual(expectedColumnCounts);
    expect(tableNames()).toEqual(Object.keys(expectedColumnCounts));
  });

  it('finds tables by exact, case-sensitive name', () => {
    expect(findTable('DeviceProcessEvents')?.name).toBe('DeviceProcessEvents');
    expect(findTable('deviceprocessevents')).toBeUndefined();
    expect(findTable('NoSuchTable')).toBeUndefined();
  });

  it('finds columns by exact, case-sensitive name', () => {
    const table = findTable('DeviceNetworkEvents');
    expect(table).toBeDefined();
    if (table === undefined) return;
    expect(findColumn(table, 'RemotePort')).toMatchObject({ name: 'RemotePort', type: 'int' });
    expect(findColumn(table, 'remoteport')).toBeUndefined();
    const custom: TableSpec = { ...table, columns: [{ name: 'X', type: 'long', description: 'A test column' }] };
    expect(findColumn(custom, 'X')?.type).toBe('long');
  });

  it.each(spotChecks)('%s.%s is %s at position %i', (tableName, columnName, type, position) => {
    const table = findTable(tableName);
    expect(table, `table ${tableName}`).toBeDefined();
    if (table === undefined) return;
    expect(findColumn(table, columnName)?.type).toBe(type);
    expect(table.columns[position]?.name).toBe(columnName);
  });

  it('gives a column name the same type in every table', () => {
    const types = new Map<string, string>();
    for (const table of registry) {
      for (const column of table.columns) {
        const seen = types.get(column.name);
        expect(seen ?? column.type, `${table.name}.${column.name}`).toBe(column.type);
        types.set(column.name, column.type);
      }
    }
  });
});

describe.each(registry.map((table) => [table.name, table] as const))('%s', (_name, table) => {
  it('has well-formed, unique column names of known types', () => {
    const names = table.columns.map((column) => column.name);
    expect(new Set(names).size, 'duplicate column names').toBe(names.length);
    for (const column of table.columns) {
      expect(column.name).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(columnTypes).toContain(column.type);
    }
  });

  it('describes the table and every column', () => {
    expect(table.description.trim().length).toBeGreaterThan(40);
    for (const column of table.columns) {
      const description = column.description.trim();
      expect(description, `${table.name}.${column.name}`).not.toBe('');
      expect(description, `${table.name}.${column.name}`).not.toBe(column.name);
      expect(description.split(/\s+/).length, `${table.name}.${column.name}`).toBeGreaterThanOrEqual(3);
      expect(description, `${table.name}.${column.name} ends with a period`).not.toMatch(/\.$/);
    }
  });

  it('has a datetime time column exactly when it has a Timestamp column', () => {
    const timestamp = findColumn(table, 'Timestamp');
    if (timestamp === undefined) {
      expect(table.timeColumn).toBeUndefined();
      return;
    }
    expect(table.timeColumn).toBe('Timestamp');
    expect(timestamp.type).toBe('datetime');
  });

  it('lets only the server write alerts', () => {
    expect(table.writers.length).toBeGreaterThan(0);
    if (table.group === 'alerts') expect(table.writers).toEqual(['server']);
    else expect(table.writers).toContain('sensor');
  });

  it('has examples that start with the table name and use only existing columns', () => {
    expect(table.examples.length).toBeGreaterThan(0);
    for (const example of table.examples) {
      expect(example.title.trim()).not.toBe('');
      expect(example.query).toMatch(new RegExp(`^${table.name}\\s`));
      const code = stripStringsAndComments(example.query);
      const known = new Set([
        ...referencedTables(code).flatMap((t) => t.columns.map((column) => column.name)),
        ...referencedTables(code).map((t) => t.name),
        ...definedNames(code),
      ]);
      for (const name of projectedColumns(code)) {
        expect(known.has(name), `"${example.title}" projects unknown column ${name}`).toBe(true);
      }
      for (const name of columnLikeIdentifiers(code)) {
        expect(known.has(name), `"${example.title}" uses unknown column ${name}`).toBe(true);
      }
    }
  });
});
