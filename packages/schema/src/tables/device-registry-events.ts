import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceRegistryEvents: Windows registry changes. */
export const deviceRegistryEvents = {
  name: 'DeviceRegistryEvents',
  description:
    'Creation, modification, renaming and deletion of Windows registry keys and values, with the previous key, ' +
    'value name and data for changes. Typical ActionType values: `RegistryKeyCreated`, `RegistryKeyDeleted`, ' +
    '`RegistryKeyRenamed`, `RegistryValueSet`, `RegistryValueDeleted`. Windows devices only; this table has no ' +
    '`AdditionalFields` column.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ActionType', 'string'),
    col('RegistryKey', 'string'),
    col('RegistryValueType', 'string', 'Data type of the registry value, such as String, Binary or Dword'),
    col('RegistryValueName', 'string'),
    col('RegistryValueData', 'string'),
    col('PreviousRegistryKey', 'string', 'Registry key before it was changed'),
    col('PreviousRegistryValueName', 'string', 'Name of the registry value before it was changed'),
    col('PreviousRegistryValueData', 'string', 'Data of the registry value before it was changed'),
    col('InitiatingProcessAccountDomain', 'string'),
    col('InitiatingProcessAccountName', 'string'),
    col('InitiatingProcessAccountSid', 'string'),
    col('InitiatingProcessAccountUpn', 'string'),
    col('InitiatingProcessAccountObjectId', 'string'),
    col('InitiatingProcessSHA1', 'string'),
    col('InitiatingProcessSHA256', 'string'),
    col('InitiatingProcessMD5', 'string'),
    col('InitiatingProcessFileName', 'string'),
    col('InitiatingProcessFileSize', 'long'),
    col('InitiatingProcessVersionInfoCompanyName', 'string'),
    col('InitiatingProcessVersionInfoProductName', 'string'),
    col('InitiatingProcessVersionInfoProductVersion', 'string'),
    col('InitiatingProcessVersionInfoInternalFileName', 'string'),
    col('InitiatingProcessVersionInfoOriginalFileName', 'string'),
    col('InitiatingProcessVersionInfoFileDescription', 'string'),
    col('InitiatingProcessId', 'long'),
    col('InitiatingProcessCommandLine', 'string'),
    col('InitiatingProcessCreationTime', 'datetime'),
    col('InitiatingProcessFolderPath', 'string'),
    col('InitiatingProcessParentId', 'long'),
    col('InitiatingProcessParentFileName', 'string'),
    col('InitiatingProcessParentCreationTime', 'datetime'),
    col('InitiatingProcessIntegrityLevel', 'string'),
    col('InitiatingProcessTokenElevation', 'string'),
    col('ReportId', 'long'),
    col('AppGuardContainerId', 'string'),
    col('InitiatingProcessSessionId', 'long'),
    col('IsInitiatingProcessRemoteSession', 'bool'),
    col('InitiatingProcessRemoteSessionDeviceName', 'string'),
    col('InitiatingProcessRemoteSessionIP', 'string'),
    col('InitiatingProcessUniqueId', 'string'),
  ],
  examples: [
    {
      title: 'New Run-key autostart entries',
      query: `DeviceRegistryEvents
| where Timestamp > ago(7d) and ActionType == "RegistryValueSet"
| where RegistryKey has @"\\CurrentVersion\\Run"
| project Timestamp, DeviceName, RegistryKey, RegistryValueName, RegistryValueData, InitiatingProcessFileName`,
    },
    {
      title: 'Defender antivirus tampering through the registry',
      query: `DeviceRegistryEvents
| where Timestamp > ago(30d)
| where RegistryKey has @"\\Policies\\Microsoft\\Windows Defender"
| where RegistryValueName in ("DisableAntiSpyware", "DisableRealtimeMonitoring") and RegistryValueData == "1"
| project Timestamp, DeviceName, RegistryKey, RegistryValueName, InitiatingProcessAccountName,
    InitiatingProcessCommandLine`,
    },
  ],
} as const satisfies TableSpec;
