import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceImageLoadEvents: DLLs and other images loaded by processes. */
export const deviceImageLoadEvents = {
  name: 'DeviceImageLoadEvents',
  description:
    'Loading of DLLs and other images into processes: the `FileName`, `FolderPath` and hash columns describe the ' +
    'loaded module and the `InitiatingProcess*` columns the process that loaded it. ActionType is normally ' +
    '`ImageLoaded`. This table has no `AdditionalFields` column.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ActionType', 'string'),
    col('FileName', 'string', 'Name of the loaded image file'),
    col('FolderPath', 'string', 'Folder containing the loaded image file'),
    col('SHA1', 'string', 'SHA-1 hash of the loaded image file'),
    col('SHA256', 'string', 'SHA-256 hash of the loaded image file; often empty, so prefer SHA1'),
    col('MD5', 'string', 'MD5 hash of the loaded image file'),
    col('FileSize', 'long', 'Size in bytes of the loaded image file'),
    col('InitiatingProcessAccountDomain', 'string'),
    col('InitiatingProcessAccountName', 'string'),
    col('InitiatingProcessAccountSid', 'string'),
    col('InitiatingProcessAccountUpn', 'string'),
    col('InitiatingProcessAccountObjectId', 'string'),
    col('InitiatingProcessIntegrityLevel', 'string'),
    col('InitiatingProcessTokenElevation', 'string'),
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
    col('ReportId', 'long'),
    col('AppGuardContainerId', 'string'),
  ],
  examples: [
    {
      title: 'Office applications loading scripting or .NET runtime DLLs',
      query: `DeviceImageLoadEvents
| where Timestamp > ago(7d)
| where InitiatingProcessFileName in~ ("winword.exe", "excel.exe", "powerpnt.exe")
| where FileName in~ ("vbscript.dll", "jscript.dll", "jscript9.dll", "clr.dll", "mscoree.dll")
| project Timestamp, DeviceName, InitiatingProcessFileName, FileName, FolderPath`,
    },
    {
      title: 'DLLs loaded from user-writable folders, rarest first',
      query: `DeviceImageLoadEvents
| where Timestamp > ago(1d)
| where FolderPath has_any (@"\\AppData\\Local\\Temp\\", @"\\Users\\Public\\", @"\\ProgramData\\")
| summarize Devices = dcount(DeviceId), Loads = count() by FileName, SHA1
| sort by Devices asc
| take 50`,
    },
  ],
} as const satisfies TableSpec;
