import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceEvents: miscellaneous security events from the sensor and the protection features. */
export const deviceEvents = {
  name: 'DeviceEvents',
  description:
    'Miscellaneous device events, many raised by security controls: antivirus (`AntivirusDetection`, ' +
    '`AntivirusScanCompleted`), attack surface reduction (`AsrOfficeChildProcessBlocked`, ' +
    '`AsrLsassCredentialTheftAudited`), exploit and network protection (`ExploitGuardNetworkProtectionBlocked`), ' +
    'SmartScreen (`SmartScreenUrlWarning`), firewall (`FirewallInboundConnectionBlocked`) and host activity such as ' +
    '`PowerShellCommand`, `ScheduledTaskCreated`, `ServiceInstalled`, `NamedPipeEvent`, `UserAccountCreated`, ' +
    '`UserAccountAddedToLocalGroup`, `SecurityLogCleared`, `UsbDriveMounted` and `DnsQueryResponse`. Only the ' +
    'columns that apply to an event are filled; event-specific details sit in `AdditionalFields` as JSON text.',
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
    col('FileSize', 'long'),
    col('AccountDomain', 'string'),
    col('AccountName', 'string'),
    col('AccountSid', 'string'),
    col('RemoteUrl', 'string'),
    col('RemoteDeviceName', 'string'),
    col('ProcessId', 'long'),
    col('ProcessCommandLine', 'string'),
    col('ProcessCreationTime', 'datetime'),
    col('ProcessTokenElevation', 'string'),
    col('LogonId', 'long'),
    col('RegistryKey', 'string'),
    col('RegistryValueName', 'string'),
    col('RegistryValueData', 'string'),
    col('RemoteIP', 'string'),
    col('RemotePort', 'int'),
    col('LocalIP', 'string'),
    col('LocalPort', 'int'),
    col('FileOriginUrl', 'string'),
    col('FileOriginIP', 'string'),
    col('InitiatingProcessSHA1', 'string'),
    col('InitiatingProcessSHA256', 'string'),
    col('InitiatingProcessMD5', 'string'),
    col('InitiatingProcessFileName', 'string'),
    col('InitiatingProcessFileSize', 'long'),
    col('InitiatingProcessFolderPath', 'string'),
    col('InitiatingProcessId', 'long'),
    col('InitiatingProcessCommandLine', 'string'),
    col('InitiatingProcessCreationTime', 'datetime'),
    col('InitiatingProcessAccountDomain', 'string'),
    col('InitiatingProcessAccountName', 'string'),
    col('InitiatingProcessAccountSid', 'string'),
    col('InitiatingProcessAccountUpn', 'string'),
    col('InitiatingProcessAccountObjectId', 'string'),
    col('InitiatingProcessVersionInfoCompanyName', 'string'),
    col('InitiatingProcessVersionInfoProductName', 'string'),
    col('InitiatingProcessVersionInfoProductVersion', 'string'),
    col('InitiatingProcessVersionInfoInternalFileName', 'string'),
    col('InitiatingProcessVersionInfoOriginalFileName', 'string'),
    col('InitiatingProcessVersionInfoFileDescription', 'string'),
    col('InitiatingProcessParentId', 'long'),
    col('InitiatingProcessParentFileName', 'string'),
    col('InitiatingProcessParentCreationTime', 'datetime'),
    col('InitiatingProcessLogonId', 'long'),
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
  ],
  examples: [
    {
      title: 'PowerShell commands run on a device',
      query: `DeviceEvents
| where Timestamp > ago(7d) and ActionType == "PowerShellCommand"
| extend Command = tostring(parse_json(AdditionalFields).Command)
| where Command in~ ("Invoke-Mimikatz", "Invoke-Expression", "Invoke-WebRequest")
| project Timestamp, DeviceName, Command, InitiatingProcessCommandLine`,
    },
    {
      title: 'Antivirus detections by threat name',
      query: `DeviceEvents
| where Timestamp > ago(30d) and ActionType == "AntivirusDetection"
| extend ThreatName = tostring(parse_json(AdditionalFields).ThreatName)
| summarize Devices = dcount(DeviceId), Files = make_set(FileName, 10) by ThreatName
| sort by Devices desc`,
    },
    {
      title: 'Attack surface reduction rules that fired, audited or blocked',
      query: `DeviceEvents
| where Timestamp > ago(7d) and ActionType startswith "Asr"
| summarize Events = count(), Devices = dcount(DeviceId) by ActionType
| sort by Events desc`,
    },
    {
      title: 'Scheduled tasks and services created',
      query: `DeviceEvents
| where Timestamp > ago(7d)
| where ActionType in ("ScheduledTaskCreated", "ServiceInstalled")
| project Timestamp, DeviceName, ActionType, AdditionalFields, InitiatingProcessFileName, InitiatingProcessAccountName`,
    },
  ],
} as const satisfies TableSpec;
