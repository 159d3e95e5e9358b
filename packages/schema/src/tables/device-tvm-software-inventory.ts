import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceTvmSoftwareInventory: software installed on each device. */
export const deviceTvmSoftwareInventory = {
  name: 'DeviceTvmSoftwareInventory',
  description:
    'Software inventory from vulnerability management: one row per device and installed software product and ' +
    'version, with its end-of-support state and CPE identifier. A snapshot of the current state, so it has no ' +
    'Timestamp column. Together with DeviceTvmSoftwareVulnerabilities it replaces the older ' +
    'DeviceTvmSoftwareInventoryVulnerabilities table.',
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
    col(
      'EndOfSupportStatus',
      'string',
      'End-of-support state of the software, such as EOS Version, EOS Software or Upcoming EOS Version',
    ),
    col('EndOfSupportDate', 'datetime', 'Date on which support for the software ends or ended'),
    col(
      'ProductCodeCpe',
      'string',
      "Common Platform Enumeration (CPE) name of the software version, or 'not available' when none is known",
    ),
  ],
  examples: [
    {
      title: 'Installed software that is out of support',
      query: `DeviceTvmSoftwareInventory
| where EndOfSupportStatus == "EOS Version" or EndOfSupportStatus == "EOS Software"
| summarize Devices = dcount(DeviceId) by SoftwareVendor, SoftwareName, SoftwareVersion, EndOfSupportDate
| sort by Devices desc`,
    },
    {
      title: 'Devices with a given product installed',
      query: `DeviceTvmSoftwareInventory
| where SoftwareVendor == "google" and SoftwareName == "chrome"
| project DeviceName, OSPlatform, SoftwareVersion, ProductCodeCpe`,
    },
  ],
} as const satisfies TableSpec;
