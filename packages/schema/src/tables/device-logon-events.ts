import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceLogonEvents: sign-ins and other authentication events on devices. */
export const deviceLogonEvents = {
  name: 'DeviceLogonEvents',
  description:
    'Local and remote sign-ins and other authentication events on devices, with the logon type, protocol, failure ' +
    'reason and the remote device that signed in. Typical ActionType values: `LogonSuccess`, `LogonFailed`, ' +
    '`LogonAttempted`. LogonType values include `Interactive`, `RemoteInteractive` (RDP), `Network`, `Batch` and ' +
    '`Service`.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ActionType', 'string'),
    col(
      'LogonType',
      'string',
      'Type of logon session, such as Interactive, RemoteInteractive (RDP), Network, Batch or Service',
    ),
    col('AccountDomain', 'string', 'Domain of the account that signed in'),
    col('AccountName', 'string', 'User name of the account that signed in'),
    col('AccountSid', 'string', 'Security identifier (SID) of the account that signed in'),
    col('Protocol', 'string', 'Authentication protocol used for the logon, such as Kerberos, NTLM or Negotiate'),
    col('FailureReason', 'string', 'Why a failed logon failed, such as a wrong password or a locked account'),
    col('IsLocalAdmin', 'bool', 'Whether the account that signed in is a local administrator of the device'),
    col('LogonId', 'long', 'Identifier of the new logon session, unique on the device until it restarts'),
    col('RemoteDeviceName', 'string', 'Name of the remote device the logon came from (FQDN, NetBIOS or host name)'),
    col('RemoteIP', 'string', 'IP address of the remote device the logon came from'),
    col('RemoteIPType', 'string'),
    col('RemotePort', 'int', 'Port on the remote device the logon came from'),
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
    col('AdditionalFields', 'string'),
    col('InitiatingProcessSessionId', 'long'),
    col('IsInitiatingProcessRemoteSession', 'bool'),
    col('InitiatingProcessRemoteSessionDeviceName', 'string'),
    col('InitiatingProcessRemoteSessionIP', 'string'),
    col('InitiatingProcessUniqueId', 'string'),
  ],
  examples: [
    {
      title: 'Brute force: many failed logons from one remote address',
      query: `DeviceLogonEvents
| where Timestamp > ago(1d) and ActionType == "LogonFailed"
| summarize Failures = count(), Accounts = dcount(AccountName) by RemoteIP, DeviceName
| where Failures > 50
| sort by Failures desc`,
    },
    {
      title: 'RDP logons from public addresses',
      query: `DeviceLogonEvents
| where Timestamp > ago(7d)
| where ActionType == "LogonSuccess" and LogonType == "RemoteInteractive" and RemoteIPType == "Public"
| project Timestamp, DeviceName, AccountDomain, AccountName, RemoteIP, RemoteDeviceName, IsLocalAdmin`,
    },
  ],
} as const satisfies TableSpec;
