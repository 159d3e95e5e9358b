/** Declares a column, taking the shared description of common columns; `Column` keeps name and type as literals. */
export { type Column, col } from './col.js';
/** Shared descriptions of the columns that several tables have in common. */
export { type CommonColumnName, commonColumnDescriptions, isCommonColumnName } from './common-columns.js';
/** Renders docs/reference/tables.md from the table specs. */
export { renderTablesMarkdown } from './render-tables-markdown.js';
/** The column types of the hunting tables and the shapes of a table spec. */
export {
  type ColumnSpec,
  type ColumnType,
  columnTypes,
  type TableExample,
  type TableSpec,
  type TableWriter,
} from './table-spec.js';
/** AlertEvidence: the entities involved in each alert. */
export { alertEvidence } from './tables/alert-evidence.js';
/** AlertInfo: one row per alert. */
export { alertInfo } from './tables/alert-info.js';
/** DeviceEvents: miscellaneous security events (antivirus, ASR, firewall, PowerShell, tasks, services...). */
export { deviceEvents } from './tables/device-events.js';
/** DeviceFileCertificateInfo: signing certificates of files seen on devices. */
export { deviceFileCertificateInfo } from './tables/device-file-certificate-info.js';
/** DeviceFileEvents: file creation, modification, rename and deletion events. */
export { deviceFileEvents } from './tables/device-file-events.js';
/** DeviceImageLoadEvents: DLLs and other images loaded by processes. */
export { deviceImageLoadEvents } from './tables/device-image-load-events.js';
/** DeviceInfo: periodic reports of each device's identity, operating system, users and posture. */
export { deviceInfo } from './tables/device-info.js';
/** DeviceLogonEvents: sign-ins and other authentication events on devices. */
export { deviceLogonEvents } from './tables/device-logon-events.js';
/** DeviceNetworkEvents: network connections and inspected network traffic. */
export { deviceNetworkEvents } from './tables/device-network-events.js';
/** DeviceNetworkInfo: network adapter configuration of each device. */
export { deviceNetworkInfo } from './tables/device-network-info.js';
/** DeviceProcessEvents: process creation events. */
export { deviceProcessEvents } from './tables/device-process-events.js';
/** DeviceRegistryEvents: Windows registry changes. */
export { deviceRegistryEvents } from './tables/device-registry-events.js';
/** DeviceTvmSecureConfigurationAssessment: security configuration assessment results per device. */
export { deviceTvmSecureConfigurationAssessment } from './tables/device-tvm-secure-configuration-assessment.js';
/** DeviceTvmSecureConfigurationAssessmentKB: the security configurations that devices are assessed against. */
export { deviceTvmSecureConfigurationAssessmentKb } from './tables/device-tvm-secure-configuration-assessment-kb.js';
/** DeviceTvmSoftwareInventory: software installed on each device. */
export { deviceTvmSoftwareInventory } from './tables/device-tvm-software-inventory.js';
/** DeviceTvmSoftwareVulnerabilities: known vulnerabilities of the software on each device. */
export { deviceTvmSoftwareVulnerabilities } from './tables/device-tvm-software-vulnerabilities.js';
/** DeviceTvmSoftwareVulnerabilitiesKB: the vulnerabilities that devices are assessed for. */
export { deviceTvmSoftwareVulnerabilitiesKb } from './tables/device-tvm-software-vulnerabilities-kb.js';
/** VigilRawEvents: the documented raw table that keeps every event no Defender table fits. */
export { vigilRawEvents } from './tables/vigil-raw-events.js';
/** The registry of hunting tables and lookups of tables and columns by exact name. */
export { findColumn, findTable, type TableName, tableNames, tables } from './tables.js';
