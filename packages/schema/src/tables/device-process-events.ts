import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceProcessEvents: process creation events. */
export const deviceProcessEvents = {
  name: 'DeviceProcessEvents',
  description:
    'Process creation and related events. The `FileName`, `FolderPath`, hash, `Process*` and `Account*` columns ' +
    'describe the new process; the `InitiatingProcess*` columns describe the process that started it. ' +
    'ActionType is normally `ProcessCreated`.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ActionType', 'string'),
    col('FileName', 'string', 'Name of the image file of the new process'),
    col('FolderPath', 'string', 'Folder containing the image file of the new process'),
    col('SHA1', 'string', 'SHA-1 hash of the image file of the new process'),
    col('SHA256', 'string', 'SHA-256 hash of the image file of the new process; often empty, so prefer SHA1'),
    col('MD5', 'string', 'MD5 hash of the image file of the new process'),
    col('FileSize', 'long', 'Size in bytes of the image file of the new process'),
    col('ProcessVersionInfoCompanyName', 'string', 'Company name from the version information of the new process'),
    col('ProcessVersionInfoProductName', 'string', 'Product name from the version information of the new process'),
    col(
      'ProcessVersionInfoProductVersion',
      'string',
      'Product version from the version information of the new process',
    ),
    col(
      'ProcessVersionInfoInternalFileName',
      'string',
      'Internal file name from the version information of the new process',
    ),
    col(
      'ProcessVersionInfoOriginalFileName',
      'string',
      'Original file name from the version information of the new process, which survives renaming of the file',
    ),
    col(
      'ProcessVersionInfoFileDescription',
      'string',
      'File description from the version information of the new process',
    ),
    col('ProcessId', 'long'),
    col('ProcessCommandLine', 'string'),
    col(
      'ProcessIntegrityLevel',
      'string',
      'Windows integrity level of the new process (Low, Medium, High or System), which limits what it may access',
    ),
    col('ProcessTokenElevation', 'string'),
    col('ProcessCreationTime', 'datetime'),
    col('AccountDomain', 'string', 'Domain of the account the new process runs as'),
    col('AccountName', 'string', 'User name of the account the new process runs as'),
    col('AccountSid', 'string', 'Security identifier (SID) of the account the new process runs as'),
    col('AccountUpn', 'string', 'User principal name (UPN) of the account the new process runs as'),
    col('AccountObjectId', 'string', 'Microsoft Entra ID object ID of the account the new process runs as'),
    col(
      'LogonId',
      'long',
      'Identifier of the logon session of the new process, unique on the device until it restarts',
    ),
    col('InitiatingProcessAccountDomain', 'string'),
    col('InitiatingProcessAccountName', 'string'),
    col('InitiatingProcessAccountSid', 'string'),
    col('InitiatingProcessAccountUpn', 'string'),
    col('InitiatingProcessAccountObjectId', 'string'),
    col('InitiatingProcessLogonId', 'long'),
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
    col(
      'InitiatingProcessSignerType',
      'string',
      'Kind of signer of the image file of the process responsible for the event, such as OsVendor or ThirdParty',
    ),
    col(
      'InitiatingProcessSignatureStatus',
      'string',
      'Signature status of the image file of the process responsible for the event, such as Valid or Unsigned',
    ),
    col('ReportId', 'long'),
    col('AppGuardContainerId', 'string'),
    col('AdditionalFields', 'string'),
    col('InitiatingProcessSessionId', 'long'),
    col('IsInitiatingProcessRemoteSession', 'bool'),
    col('InitiatingProcessRemoteSessionDeviceName', 'string'),
    col('InitiatingProcessRemoteSessionIP', 'string'),
    col('CreatedProcessSessionId', 'long'),
    col('IsProcessRemoteSession', 'bool'),
    col('ProcessRemoteSessionDeviceName', 'string'),
    col('ProcessRemoteSessionIP', 'string'),
    col('InitiatingProcessUniqueId', 'string'),
    col(
      'ProcessUniqueId',
      'string',
      'Unique identifier (the Windows process start key) of the new process; unlike the PID it is not reused',
    ),
  ],
  examples: [
    {
      title: 'PowerShell started with an encoded command',
      query: `DeviceProcessEvents
| where Timestamp > ago(7d)
| where FileName =~ "powershell.exe" and ProcessCommandLine has_any ("-enc", "-EncodedCommand")
| project Timestamp, DeviceName, AccountName, ProcessCommandLine, InitiatingProcessFileName
| take 100`,
    },
    {
      title: 'Office applications spawning command interpreters',
      query: `DeviceProcessEvents
| where Timestamp > ago(7d)
| where InitiatingProcessFileName in~ ("winword.exe", "excel.exe", "powerpnt.exe", "outlook.exe")
| where FileName in~ ("cmd.exe", "powershell.exe", "wscript.exe", "cscript.exe", "mshta.exe")
| project Timestamp, DeviceName, InitiatingProcessFileName, FileName, ProcessCommandLine, SHA1`,
    },
    {
      title: 'Renamed binaries: the original file name differs from the name on disk',
      query: `DeviceProcessEvents
| where Timestamp > ago(1d)
| where isnotempty(ProcessVersionInfoOriginalFileName)
| where FileName !~ ProcessVersionInfoOriginalFileName
| summarize Executions = count(), Devices = dcount(DeviceId) by FileName, ProcessVersionInfoOriginalFileName, SHA1
| sort by Devices asc`,
    },
  ],
} as const satisfies TableSpec;
