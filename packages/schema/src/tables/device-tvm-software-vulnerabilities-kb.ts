import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceTvmSoftwareVulnerabilitiesKB: the vulnerabilities that devices are assessed for. */
export const deviceTvmSoftwareVulnerabilitiesKb = {
  name: 'DeviceTvmSoftwareVulnerabilitiesKB',
  description:
    'Knowledge base of the vulnerabilities that vulnerability management assesses devices for: one row per CVE ' +
    'with its CVSS score and vector, severity, exploit availability, dates, description and affected software. ' +
    'Reference data with no device or Timestamp column; join it to DeviceTvmSoftwareVulnerabilities on `CveId`.',
  group: 'vulnerability-management',
  writers: ['sensor', 'server'],
  columns: [
    col('CveId', 'string'),
    col(
      'CvssScore',
      'real',
      'Severity score of the vulnerability under the Common Vulnerability Scoring System (CVSS)',
    ),
    col('CvssVector', 'string', 'CVSS vector string from which the score was computed'),
    col(
      'CveSupportability',
      'string',
      'Whether vulnerability management supports detecting this CVE on devices, and to what extent',
    ),
    col('IsExploitAvailable', 'bool', 'Whether exploit code for the vulnerability is publicly available'),
    col('VulnerabilitySeverityLevel', 'string'),
    col('LastModifiedTime', 'datetime', 'Date and time when the vulnerability record was last modified'),
    col('PublishedDate', 'datetime', 'Date when the vulnerability was disclosed to the public'),
    col('VulnerabilityDescription', 'string', 'Description of the vulnerability and the risks it brings'),
    col('AffectedSoftware', 'dynamic', 'List of the software products the vulnerability affects'),
  ],
  examples: [
    {
      title: 'Recently published vulnerabilities with a public exploit',
      query: `DeviceTvmSoftwareVulnerabilitiesKB
| where PublishedDate > ago(30d) and IsExploitAvailable == true
| project CveId, CvssScore, VulnerabilitySeverityLevel, PublishedDate, VulnerabilityDescription
| sort by CvssScore desc`,
    },
    {
      title: 'Software products with the most critical vulnerabilities',
      query: `DeviceTvmSoftwareVulnerabilitiesKB
| where CvssScore >= 9.0
| mv-expand Product = AffectedSoftware
| summarize Cves = dcount(CveId) by Product = tostring(Product)
| top 20 by Cves`,
    },
  ],
} as const satisfies TableSpec;
