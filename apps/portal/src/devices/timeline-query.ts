import { findTable } from '@vigil/schema';

/** The event tables a device timeline reads. */
export const timelineTables = [
  'DeviceProcessEvents',
  'DeviceNetworkEvents',
  'DeviceFileEvents',
  'DeviceRegistryEvents',
  'DeviceLogonEvents',
  'DeviceImageLoadEvents',
  'DeviceEvents',
] as const;

/** The columns a timeline shows, where the chosen tables have them. */
export const timelineColumns = [
  'Timestamp',
  'ActionType',
  'FileName',
  'FolderPath',
  'SHA256',
  'ProcessCommandLine',
  'AccountName',
  'RemoteIP',
  'RemotePort',
  'RemoteUrl',
  'RegistryKey',
  'RegistryValueName',
  'InitiatingProcessFileName',
  'InitiatingProcessCommandLine',
  'ReportId',
] as const;

/** Time windows of the timeline. */
export const timelineWindows = { '1d': '1 day', '7d': '7 days', '30d': '30 days', all: 'all time' } as const;

/** What the timeline is asked for. */
export interface TimelineFilter {
  readonly deviceId: string;
  /** Empty means every timeline table. */
  readonly tables: readonly string[];
  readonly window: keyof typeof timelineWindows;
  readonly actionType: string;
  readonly search: string;
  readonly page: number;
  readonly pageSize: number;
}

/** A KQL string literal. */
export function kqlString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/** The columns of `columns` that at least one of `tables` has, with their types. */
function availableColumns(tables: readonly string[]): { name: string; type: string }[] {
  const have = new Map<string, string>();
  for (const name of tables) for (const c of findTable(name)?.columns ?? []) have.set(c.name, c.type);
  return timelineColumns.filter((c) => have.has(c)).map((name) => ({ name, type: have.get(name) ?? 'string' }));
}

/**
 * The KQL of one timeline page: a union of the device's event tables, filtered, newest first. It asks for one row
 * more than a page so that the portal knows whether a next page exists.
 */
export function buildTimelineQuery(f: TimelineFilter): string {
  const tables = f.tables.length ? f.tables : [...timelineTables];
  const columns = availableColumns(tables);
  const lines = [`union withsource=EventTable ${tables.join(', ')}`, `| where DeviceId == ${kqlString(f.deviceId)}`];
  if (f.window !== 'all') lines.push(`| where Timestamp > ago(${f.window})`);
  if (f.actionType.trim()) lines.push(`| where ActionType =~ ${kqlString(f.actionType.trim())}`);
  const search = f.search.trim();
  if (search) {
    const strings = columns.filter((c) => c.type === 'string' && c.name !== 'ActionType').map((c) => c.name);
    const terms = [...strings, 'ActionType'].map((c) => `${c} contains ${kqlString(search)}`);
    lines.push(`| where ${terms.join(' or ')}`);
  }
  const offset = Math.max(0, (f.page - 1) * f.pageSize);
  lines.push(
    `| project EventTable, ${columns.map((c) => c.name).join(', ')}`,
    `| sort by Timestamp desc${columns.some((c) => c.name === 'ReportId') ? ', ReportId desc' : ''}`,
    '| serialize RowNumber = row_number()',
    `| where RowNumber > ${offset}`,
    `| take ${f.pageSize + 1}`,
    '| project-away RowNumber',
  );
  return lines.join('\n');
}
