import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceTvmSecureConfigurationAssessmentKB: the security configurations that devices are assessed against. */
export const deviceTvmSecureConfigurationAssessmentKb = {
  name: 'DeviceTvmSecureConfigurationAssessmentKB',
  description:
    'Knowledge base of the security configurations that vulnerability management assesses: one row per ' +
    'configuration with its name, description, risk, the industry benchmarks (such as CIS) and MITRE ATT&CK tags ' +
    'it maps to, and how to remediate it. Reference data with no device or Timestamp column; join it to ' +
    'DeviceTvmSecureConfigurationAssessment on `ConfigurationId`.',
  group: 'vulnerability-management',
  writers: ['sensor', 'server'],
  columns: [
    col('ConfigurationId', 'string'),
    col('ConfigurationImpact', 'real'),
    col('ConfigurationName', 'string', 'Display name of the configuration'),
    col('ConfigurationDescription', 'string', 'Description of the configuration'),
    col('RiskDescription', 'string', 'Description of the risk the configuration addresses'),
    col('ConfigurationCategory', 'string'),
    col('ConfigurationSubcategory', 'string'),
    col(
      'ConfigurationBenchmarks',
      'dynamic',
      'Industry benchmarks, such as CIS, that recommend the same or a similar configuration',
    ),
    col('Tags', 'dynamic', 'Labels attached to the configuration, such as MITRE ATT&CK technique identifiers'),
    col('RemediationOptions', 'string', 'Recommended steps to remediate a non-compliant configuration'),
  ],
  examples: [
    {
      title: 'High-impact configurations and how to fix them',
      query: `DeviceTvmSecureConfigurationAssessmentKB
| where ConfigurationImpact >= 8
| project ConfigurationId, ConfigurationName, ConfigurationCategory, RiskDescription, RemediationOptions
| sort by ConfigurationId asc`,
    },
    {
      title: 'Configurations that map to a CIS benchmark',
      query: `DeviceTvmSecureConfigurationAssessmentKB
| where ConfigurationBenchmarks has "CIS"
| project ConfigurationId, ConfigurationName, ConfigurationBenchmarks, Tags`,
    },
  ],
} as const satisfies TableSpec;
