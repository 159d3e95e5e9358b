import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceTvmSecureConfigurationAssessment: security configuration assessment results per device. */
export const deviceTvmSecureConfigurationAssessment = {
  name: 'DeviceTvmSecureConfigurationAssessment',
  description:
    'Security configuration assessments: one row per device and configuration check, saying whether the check ' +
    'applies to the device and whether the device complies. Join DeviceTvmSecureConfigurationAssessmentKB on ' +
    '`ConfigurationId` for the name, description, benchmarks and remediation of each configuration.',
  group: 'vulnerability-management',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('OSPlatform', 'string'),
    col('Timestamp', 'datetime', 'Date and time when the assessment record was generated'),
    col('ConfigurationId', 'string'),
    col('ConfigurationCategory', 'string'),
    col('ConfigurationSubcategory', 'string'),
    col('ConfigurationImpact', 'real'),
    col('IsCompliant', 'bool', 'Whether the device complies with the configuration (true) or not (false)'),
    col('IsApplicable', 'bool', 'Whether the configuration applies to the device'),
    col('Context', 'dynamic', 'Extra context about the assessed configuration on the device'),
    col('IsExpectedUserImpact', 'bool', 'Whether applying the configuration is expected to affect users'),
  ],
  examples: [
    {
      title: 'Devices with non-compliant antivirus configurations',
      query: `DeviceTvmSecureConfigurationAssessment
| where ConfigurationSubcategory == "Antivirus" and IsApplicable == true and IsCompliant == false
| join kind=leftouter (
    DeviceTvmSecureConfigurationAssessmentKB
    | project ConfigurationId, ConfigurationName, RiskDescription
) on ConfigurationId
| project DeviceName, OSPlatform, ConfigurationId, ConfigurationName, RiskDescription, ConfigurationImpact`,
    },
    {
      title: 'Compliance rate per configuration category',
      query: `DeviceTvmSecureConfigurationAssessment
| where IsApplicable == true
| summarize Compliant = countif(IsCompliant == true), Assessed = count() by ConfigurationCategory
| extend CompliancePercent = round(100.0 * Compliant / Assessed, 1)
| sort by CompliancePercent asc`,
    },
  ],
} as const satisfies TableSpec;
