import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceTvmSoftwareVulnerabilities: known vulnerabilities of the software on each device. */
export const deviceTvmSoftwareVulnerabilities = {
  name: 'DeviceTvmSoftwareVulnerabilities',
  description:
    'Vulnerabilities found in installed software: one row per device, software product and CVE, with the ' +
    'severity and the security update that fixes it. A snapshot of the current state, so it has no Timestamp ' +
    'column. Join DeviceTvmSoftwareVulnerabilitiesKB on `CveId` for CVSS scores, exploit availability and ' +
    'descriptions.',
  group: 'vulnerability-management',
  writers: ['sensor', 'server'],
  columns: [
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('OSPlatform', 'string'),
    col('OSVersion', 'string'),
    col('OSArchitecture', 'string'),
    col('SoftwareVendor', 'string'),
    col('SoftwareName', 'string'),
    col('SoftwareVersion', 'string'),
    col('CveId', 'string'),
    col('VulnerabilitySeverityLevel', 'string'),
    col(
      'RecommendedSecurityUpdate',
      'string',
      'Name or description of the security update from the software publisher that fixes the vulnerability',
    ),
    col(
      'RecommendedSecurityUpdateId',
      'string',
      'Identifier of the fixing security update or of the related guidance or knowledge base (KB) article',
    ),
    col('CveTags', 'dynamic', 'Array of tags that apply to the CVE, such as ZeroDay or NoSecurityUpdate'),
    col(
      'CveMitigationStatus',
      'string',
      'Whether a mitigation or workaround for the CVE has been applied on the device, when one exists',
    ),
    col('AadDeviceId', 'string'),
  ],
  examples: [
    {
      title: 'Devices exposed to critical vulnerabilities',
      query: `DeviceTvmSoftwareVulnerabilities
| where VulnerabilitySeverityLevel == "Critical"
| summarize Cves = dcount(CveId), Software = make_set(SoftwareName, 10) by DeviceName
| sort by Cves desc`,
    },
    {
      title: 'Zero-day vulnerabilities with a publicly available exploit',
      query: `DeviceTvmSoftwareVulnerabilities
| where CveTags has "ZeroDay"
| join kind=inner (
    DeviceTvmSoftwareVulnerabilitiesKB
    | where IsExploitAvailable == true
    | project CveId, CvssScore, PublishedDate
) on CveId
| project DeviceName, SoftwareName, SoftwareVersion, CveId, CvssScore, RecommendedSecurityUpdate`,
    },
  ],
} as const satisfies TableSpec;
