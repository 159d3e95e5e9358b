import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** AlertEvidence: the entities involved in each alert. */
export const alertEvidence = {
  name: 'AlertEvidence',
  description:
    'Entities involved in alerts: one row per alert and entity (file, process, device, user, IP address, URL, ' +
    'registry value, mailbox, cloud resource), with the columns that describe that kind of entity filled in. ' +
    '`EntityType` says what the row describes (File, Process, Machine, User, Ip, Url, RegistryValue, MailMessage, ' +
    '...), `EvidenceRole` whether it is Impacted or merely Related. Join to AlertInfo on `AlertId`. Only the server ' +
    'writes this table.',
  group: 'alerts',
  writers: ['server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime', 'Date and time when the evidence was recorded'),
    col('AlertId', 'string'),
    col('Title', 'string'),
    col('Categories', 'string', 'Categories of the alert, as a JSON array in text'),
    col('AttackTechniques', 'string'),
    col('ServiceSource', 'string'),
    col('DetectionSource', 'string'),
    col('EntityType', 'string', 'Kind of entity this row describes, such as File, Process, Machine, User, Ip or Url'),
    col('EvidenceRole', 'string', 'How the entity is involved in the alert: Impacted or Related'),
    col('EvidenceDirection', 'string', 'Whether the entity is the Source or the Destination of a network connection'),
    col('FileName', 'string', 'Name of the file entity'),
    col('FolderPath', 'string', 'Folder containing the file entity'),
    col('SHA1', 'string', 'SHA-1 hash of the file entity'),
    col('SHA256', 'string', 'SHA-256 hash of the file entity; often empty, so prefer SHA1'),
    col('FileSize', 'long', 'Size in bytes of the file entity'),
    col('ThreatFamily', 'string', 'Malware family the suspicious or malicious file or process was classified as'),
    col('RemoteIP', 'string', 'IP address of the IP entity or of the remote end of a connection'),
    col('RemoteUrl', 'string', 'URL or fully qualified domain name (FQDN) of the URL entity'),
    col('AccountName', 'string', 'User name of the user entity'),
    col('AccountDomain', 'string', 'Domain of the user entity'),
    col('AccountSid', 'string', 'Security identifier (SID) of the user entity'),
    col('AccountObjectId', 'string', 'Microsoft Entra ID object ID of the user entity'),
    col('AccountUpn', 'string', 'User principal name (UPN) of the user entity'),
    col('DeviceId', 'string', 'Unique identifier in the service of the device involved'),
    col('DeviceName', 'string', 'Fully qualified domain name (FQDN) of the device involved'),
    col('LocalIP', 'string', 'IP address of the local device involved in the communication'),
    col('NetworkMessageId', 'string', 'Unique identifier of the email message, assigned by Office 365'),
    col('EmailSubject', 'string', 'Subject of the email message'),
    col('Application', 'string', 'Cloud application that performed the recorded action'),
    col('ApplicationId', 'int', 'Unique identifier of the cloud application'),
    col('OAuthApplicationId', 'string', 'Unique identifier of the third-party OAuth application'),
    col('ProcessCommandLine', 'string', 'Command line of the process entity'),
    col('RegistryKey', 'string', 'Registry key of the registry entity'),
    col('RegistryValueName', 'string', 'Name of the registry value of the registry entity'),
    col('RegistryValueData', 'string', 'Data of the registry value of the registry entity'),
    col('AdditionalFields', 'string', 'Extra details about the entity as JSON text; read it with parse_json()'),
    col('Severity', 'string'),
    col('CloudResource', 'string', 'Name of the cloud resource'),
    col(
      'CloudPlatform',
      'string',
      'Cloud platform of the resource: Azure, Amazon Web Services or Google Cloud Platform',
    ),
    col('ResourceType', 'string', 'Type of the cloud resource'),
    col('ResourceID', 'string', 'Unique identifier of the cloud resource'),
    col('SubscriptionId', 'string', 'Unique identifier of the cloud subscription of the resource'),
    col('SentinelWorkspaceIds', 'string'),
  ],
  examples: [
    {
      title: 'Files that appear as evidence in several alerts',
      query: `AlertEvidence
| where Timestamp > ago(30d) and EntityType == "File" and isnotempty(SHA1)
| summarize Alerts = dcount(AlertId), Titles = make_set(Title, 5) by SHA1, FileName
| where Alerts > 1
| sort by Alerts desc`,
    },
    {
      title: 'Impacted users and their alerts',
      query: `AlertEvidence
| where Timestamp > ago(7d) and EntityType == "User" and EvidenceRole == "Impacted"
| project Timestamp, AlertId, Title, AccountDomain, AccountName, AccountUpn, DetectionSource`,
    },
    {
      title: 'Process evidence with its command line',
      query: `AlertEvidence
| where Timestamp > ago(7d) and EntityType == "Process"
| project Timestamp, AlertId, Title, DeviceName, FileName, ProcessCommandLine`,
    },
  ],
} as const satisfies TableSpec;
