import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceFileEvents: file creation, modification, rename and deletion events. */
export const deviceFileEvents = {
  name: 'DeviceFileEvents',
  description:
    'File system events: files created, modified, renamed or deleted, with download origin, the remote requester for ' +
    'changes made over SMB or NFS, and sensitivity labels. Typical ActionType values: `FileCreated`, `FileModified`, ' +
    '`FileRenamed`, `FileDeleted`. Hashes can be empty when a file is remote, locked, compressed or virtual.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ActionType', 'string'),
    col('FileName', 'string'),
    col('FolderPath', 'string'),
    col('SHA1', 'string'),
    col('SHA256', 'string'),
    col('MD5', 'string'),
    col('FileOriginUrl', 'string'),
    col('FileOriginReferrerUrl', 'string', 'URL of the web page that linked to the downloaded file'),
    col('FileOriginIP', 'string'),
    col('PreviousFolderPath', 'string', 'Folder that contained the file before the recorded action'),
    col('PreviousFileName', 'string', 'Name of the file before it was renamed'),
    col('FileSize', 'long'),
    col('InitiatingProcessAccountDomain', 'string'),
    col('InitiatingProcessAccountName', 'string'),
    col('InitiatingProcessAccountSid', 'string'),
    col('InitiatingProcessAccountUpn', 'string'),
    col('InitiatingProcessAccountObjectId', 'string'),
    col('InitiatingProcessMD5', 'string'),
    col('InitiatingProcessSHA1', 'string'),
    col('InitiatingProcessSHA256', 'string'),
    col('InitiatingProcessFolderPath', 'string'),
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
    col('InitiatingProcessIntegrityLevel', 'string'),
    col('InitiatingProcessTokenElevation', 'string'),
    col('InitiatingProcessParentId', 'long'),
    col('InitiatingProcessParentFileName', 'string'),
    col('InitiatingProcessParentCreationTime', 'datetime'),
    col(
      'RequestProtocol',
      'string',
      'Network protocol through which the activity was requested, if any: Unknown, Local, SMB or NFS',
    ),
    col('RequestSourceIP', 'string', 'IPv4 or IPv6 address of the remote device that requested the activity'),
    col('RequestSourcePort', 'int', 'Source port on the remote device that requested the activity'),
    col('RequestAccountName', 'string', 'User name of the account that requested the activity remotely'),
    col('RequestAccountDomain', 'string', 'Domain of the account that requested the activity remotely'),
    col('RequestAccountSid', 'string', 'Security identifier (SID) of the account that requested the activity remotely'),
    col('ShareName', 'string', 'Name of the shared folder that contains the file'),
    col('SensitivityLabel', 'string', 'Information protection label applied to the file to classify its content'),
    col(
      'SensitivitySubLabel',
      'string',
      'Information protection sublabel applied to the file, grouped under its sensitivity label',
    ),
    col('IsAzureInfoProtectionApplied', 'bool', 'Whether the file is encrypted by Azure Information Protection'),
    col('ReportId', 'long'),
    col('AppGuardContainerId', 'string'),
    col('AdditionalFields', 'string'),
    col('InitiatingProcessSessionId', 'long'),
    col('IsInitiatingProcessRemoteSession', 'bool'),
    col('InitiatingProcessRemoteSessionDeviceName', 'string'),
    col('InitiatingProcessRemoteSessionIP', 'string'),
    col('InitiatingProcessUniqueId', 'string'),
  ],
  examples: [
    {
      title: 'Executables downloaded by browsers',
      query: `DeviceFileEvents
| where Timestamp > ago(7d) and ActionType == "FileCreated"
| where InitiatingProcessFileName in~ ("chrome.exe", "msedge.exe", "firefox.exe")
| where FileName endswith ".exe" or FileName endswith ".msi"
| project Timestamp, DeviceName, FileName, FolderPath, FileOriginUrl, FileOriginReferrerUrl, SHA1`,
    },
    {
      title: 'Possible ransomware: one process renaming many files',
      query: `DeviceFileEvents
| where Timestamp > ago(1d) and ActionType == "FileRenamed"
| summarize Renamed = count(), Folders = dcount(FolderPath) by DeviceName, InitiatingProcessFileName, bin(Timestamp, 5m)
| where Renamed > 200
| sort by Renamed desc`,
    },
    {
      title: 'Files written over SMB by remote accounts',
      query: `DeviceFileEvents
| where Timestamp > ago(7d) and RequestProtocol == "SMB"
| project Timestamp, DeviceName, ShareName, FileName, RequestSourceIP, RequestAccountDomain, RequestAccountName`,
    },
  ],
} as const satisfies TableSpec;
