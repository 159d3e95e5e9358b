import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** AlertInfo: one row per alert. */
export const alertInfo = {
  name: 'AlertInfo',
  description:
    'Alerts: one row per alert with its title, category, severity, the service and detection technology that ' +
    'raised it and its MITRE ATT&CK techniques. The entities involved (files, processes, devices, users, IP ' +
    'addresses, URLs) are in AlertEvidence; join the two on `AlertId`. Only the server writes this table.',
  group: 'alerts',
  writers: ['server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime', 'Date and time when the alert was recorded'),
    col('AlertId', 'string'),
    col('Title', 'string'),
    col(
      'Category',
      'string',
      'Kind of threat or activity the alert identified, such as Execution, CredentialAccess or Ransomware',
    ),
    col('Severity', 'string'),
    col('ServiceSource', 'string'),
    col('DetectionSource', 'string'),
    col('AttackTechniques', 'string'),
    col('SentinelWorkspaceIds', 'string'),
  ],
  examples: [
    {
      title: 'High-severity alerts of the last week',
      query: `AlertInfo
| where Timestamp > ago(7d) and Severity == "High"
| project Timestamp, AlertId, Title, Category, DetectionSource, AttackTechniques
| sort by Timestamp desc`,
    },
    {
      title: 'Alerts per category and detection source',
      query: `AlertInfo
| where Timestamp > ago(30d)
| summarize Alerts = count() by Category, DetectionSource
| sort by Alerts desc`,
    },
    {
      title: 'Devices with the most high-severity alerts',
      query: `AlertInfo
| where Timestamp > ago(7d) and Severity == "High"
| join kind=inner (
    AlertEvidence
    | where Timestamp > ago(7d) and EntityType == "Machine"
    | project AlertId, DeviceId, DeviceName
) on AlertId
| summarize Alerts = dcount(AlertId), Titles = make_set(Title, 5) by DeviceName
| sort by Alerts desc`,
    },
  ],
} as const satisfies TableSpec;
