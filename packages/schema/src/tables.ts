import type { ColumnSpec, TableSpec } from './table-spec.js';
import { alertEvidence } from './tables/alert-evidence.js';
import { alertInfo } from './tables/alert-info.js';
import { deviceEvents } from './tables/device-events.js';
import { deviceFileCertificateInfo } from './tables/device-file-certificate-info.js';
import { deviceFileEvents } from './tables/device-file-events.js';
import { deviceImageLoadEvents } from './tables/device-image-load-events.js';
import { deviceInfo } from './tables/device-info.js';
import { deviceLogonEvents } from './tables/device-logon-events.js';
import { deviceNetworkEvents } from './tables/device-network-events.js';
import { deviceNetworkInfo } from './tables/device-network-info.js';
import { deviceProcessEvents } from './tables/device-process-events.js';
import { deviceRegistryEvents } from './tables/device-registry-events.js';
import { deviceTvmSecureConfigurationAssessment } from './tables/device-tvm-secure-configuration-assessment.js';
import { deviceTvmSecureConfigurationAssessmentKb } from './tables/device-tvm-secure-configuration-assessment-kb.js';
import { deviceTvmSoftwareInventory } from './tables/device-tvm-software-inventory.js';
import { deviceTvmSoftwareVulnerabilities } from './tables/device-tvm-software-vulnerabilities.js';
import { deviceTvmSoftwareVulnerabilitiesKb } from './tables/device-tvm-software-vulnerabilities-kb.js';
import { vigilRawEvents } from './tables/vigil-raw-events.js';

/** Every hunting table, in documentation order: device events and state, alerts, vulnerability management, Vigil. */
export const tables = [
  deviceInfo,
  deviceNetworkInfo,
  deviceProcessEvents,
  deviceNetworkEvents,
  deviceFileEvents,
  deviceRegistryEvents,
  deviceLogonEvents,
  deviceImageLoadEvents,
  deviceEvents,
  deviceFileCertificateInfo,
  alertInfo,
  alertEvidence,
  deviceTvmSoftwareInventory,
  deviceTvmSoftwareVulnerabilities,
  deviceTvmSoftwareVulnerabilitiesKb,
  deviceTvmSecureConfigurationAssessment,
  deviceTvmSecureConfigurationAssessmentKb,
  vigilRawEvents,
] as const satisfies readonly TableSpec[];

/** The name of a registered hunting table. */
export type TableName = (typeof tables)[number]['name'];

const tablesByName: ReadonlyMap<string, TableSpec> = new Map(
  tables.map((table): [string, TableSpec] => [table.name, table]),
);

const columnsByTable: ReadonlyMap<TableSpec, ReadonlyMap<string, ColumnSpec>> = new Map(
  tables.map((table): [TableSpec, ReadonlyMap<string, ColumnSpec>] => [
    table,
    new Map(table.columns.map((column): [string, ColumnSpec] => [column.name, column])),
  ]),
);

/** Finds a table by its exact name; like Kusto, the match is case-sensitive. */
export function findTable(name: string): TableSpec | undefined {
  return tablesByName.get(name);
}

/** The names of all tables, in registry order. */
export function tableNames(): string[] {
  return tables.map((table) => table.name);
}

/** Finds a column of a table by its exact, case-sensitive name. */
export function findColumn(table: TableSpec, name: string): ColumnSpec | undefined {
  const columns = columnsByTable.get(table);
  if (columns !== undefined) return columns.get(name);
  // A table spec built outside the registry (a test or a custom table) has no precomputed index.
  return table.columns.find((column) => column.name === name);
}
