import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceNetworkEvents: network connections and inspected network traffic. */
export const deviceNetworkEvents = {
  name: 'DeviceNetworkEvents',
  description:
    'Network connections and related events: outbound and inbound connections, listening sockets and protocol ' +
    'inspections, with the process that owns the socket in the `InitiatingProcess*` columns. Typical ActionType ' +
    'values: `ConnectionSuccess`, `ConnectionFailed`, `ConnectionRequest`, `ConnectionAttempt`, ' +
    '`InboundConnectionAccepted`, `ListeningConnectionCreated`, and for inspected traffic `DnsConnectionInspected`, ' +
    '`HttpConnectionInspected`, `SslConnectionInspected`, `SshConnectionInspected`, `NetworkSignatureInspected`; ' +
    'inspected events carry protocol details (host, URI, server name, JA3, query) in `AdditionalFields`.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ActionType', 'string'),
    col('RemoteIP', 'string'),
    col('RemotePort', 'int', 'TCP or UDP port on the remote device that was being connected to'),
    col('RemoteUrl', 'string'),
    col('LocalIP', 'string'),
    col('LocalPort', 'int', 'TCP or UDP port on the local device used during the communication'),
    col('Protocol', 'string', 'Transport protocol used during the communication, such as Tcp, Udp or Icmp'),
    col(
      'LocalIPType',
      'string',
      'Type of the local IP address, such as Public, Private, Reserved, Loopback, Teredo or Broadcast',
    ),
    col('RemoteIPType', 'string'),
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
    col('InitiatingProcessParentFileName', 'string'),
    col('InitiatingProcessParentId', 'long'),
    col('InitiatingProcessParentCreationTime', 'datetime'),
    col('InitiatingProcessAccountDomain', 'string'),
    col('InitiatingProcessAccountName', 'string'),
    col('InitiatingProcessAccountSid', 'string'),
    col('InitiatingProcessAccountUpn', 'string'),
    col('InitiatingProcessAccountObjectId', 'string'),
    col('InitiatingProcessIntegrityLevel', 'string'),
    col('InitiatingProcessTokenElevation', 'string'),
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
      title: 'Scripting hosts connecting to public addresses',
      query: `DeviceNetworkEvents
| where Timestamp > ago(7d)
| where ActionType == "ConnectionSuccess" and RemoteIPType == "Public"
| where InitiatingProcessFileName in~ ("powershell.exe", "wscript.exe", "cscript.exe", "mshta.exe", "rundll32.exe")
| project Timestamp, DeviceName, InitiatingProcessFileName, InitiatingProcessCommandLine, RemoteIP, RemotePort,
    RemoteUrl`,
    },
    {
      title: 'Outbound RDP, SMB and WinRM fan-out per process',
      query: `DeviceNetworkEvents
| where Timestamp > ago(1d)
| where ActionType == "ConnectionSuccess" and RemotePort in (445, 3389, 5985, 5986)
| summarize Targets = dcount(RemoteIP) by DeviceName, InitiatingProcessFileName, RemotePort
| where Targets > 20
| sort by Targets desc`,
    },
    {
      title: 'Queried domains from inspected DNS traffic',
      query: `DeviceNetworkEvents
| where Timestamp > ago(1d) and ActionType == "DnsConnectionInspected"
| extend Query = tostring(parse_json(AdditionalFields).query)
| summarize Devices = dcount(DeviceId) by Query
| where Devices < 3
| take 100`,
    },
  ],
} as const satisfies TableSpec;
