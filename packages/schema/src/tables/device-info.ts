import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceInfo: periodic reports of each device's identity, operating system, users and posture. */
export const deviceInfo = {
  name: 'DeviceInfo',
  description:
    'Machine information: operating system, sensor version, logged-on users, tags, exposure and onboarding state of ' +
    'each device. Devices report in full every hour and whenever something changes, so a device has many rows; use ' +
    '`summarize arg_max(Timestamp, *) by DeviceId` to get the latest state of each device.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime', 'Date and time when the device report was recorded'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('ClientVersion', 'string', 'Version of the endpoint agent or sensor running on the device'),
    col(
      'PublicIP',
      'string',
      'Public IP address the device used to reach the service, which may be the device itself, a NAT device or a proxy',
    ),
    col('OSArchitecture', 'string'),
    col('OSPlatform', 'string'),
    col('OSBuild', 'long', 'Build number of the operating system running on the device'),
    col('IsAzureADJoined', 'bool', 'Whether the device is joined to Microsoft Entra ID (formerly Azure AD)'),
    col('JoinType', 'string', 'Kind of Microsoft Entra ID join of the device'),
    col('AadDeviceId', 'string'),
    col(
      'LoggedOnUsers',
      'string',
      'Users logged on to the device at the time of the report, as a JSON array in text (UserName, DomainName, Sid)',
    ),
    col('RegistryDeviceTag', 'string', 'Device tag set through the registry of the device'),
    col('OSVersion', 'string'),
    col('MachineGroup', 'string', 'Machine group of the device, which role-based access control uses to grant access'),
    col('ReportId', 'long'),
    col(
      'OnboardingStatus',
      'string',
      'Whether the device is onboarded to the endpoint sensor, could be onboarded, or is not supported',
    ),
    col('AdditionalFields', 'string'),
    col('DeviceCategory', 'string', 'Broad class of the device: Endpoint, Network device, IoT or Unknown'),
    col(
      'DeviceType',
      'string',
      'Type of the device by purpose, such as Workstation, Server, Mobile, NetworkDevice or Printer',
    ),
    col(
      'DeviceSubtype',
      'string',
      'Finer type for some devices, such as tablet or smartphone for a mobile device, when discovery can tell',
    ),
    col('Model', 'string', 'Model name or number given by the manufacturer, when device discovery can tell'),
    col('Vendor', 'string', 'Name of the manufacturer or vendor of the device, when device discovery can tell'),
    col('OSDistribution', 'string', 'Distribution of the operating system, such as Ubuntu or RedHat on Linux'),
    col('OSVersionInfo', 'string', 'More about the operating system version, such as its popular name or code name'),
    col('MergedDeviceIds', 'string', 'Earlier device IDs that were assigned to this same device'),
    col('MergedToDeviceId', 'string', 'Most recent device ID of this device, set when its record was merged'),
    col('IsInternetFacing', 'bool', 'Whether the device is reachable from the internet'),
    col(
      'SensorHealthState',
      'string',
      'Health of the EDR sensor on the device, such as Active, Inactive, ImpairedCommunication or NoSensorData',
    ),
    col('IsExcluded', 'bool', 'Whether the device is excluded from vulnerability management views'),
    col('ExclusionReason', 'string', 'Reason the device is excluded from vulnerability management views'),
    col(
      'ExposureLevel',
      'string',
      'How exposed the device is to exploitation, from its exposure score: None, Low, Medium or High',
    ),
    col(
      'AssetValue',
      'string',
      "Importance of the device when the organization's exposure score is computed: Low, Normal (default) or High",
    ),
    col('DeviceManualTags', 'string', 'Device tags set by hand in the portal or through the API'),
    col('DeviceDynamicTags', 'string', 'Device tags added and removed automatically by dynamic tagging rules'),
    col('ConnectivityType', 'string', 'Kind of connectivity from the device to the cloud service'),
    col(
      'HostDeviceId',
      'string',
      'Device ID of the host when this device runs inside another one, such as Windows Subsystem for Linux',
    ),
  ],
  examples: [
    {
      title: 'Latest state of every Windows server',
      query: `DeviceInfo
| where Timestamp > ago(1d)
| summarize arg_max(Timestamp, *) by DeviceId
| where OSPlatform startswith "WindowsServer"
| project DeviceId, DeviceName, OSPlatform, OSBuild, ClientVersion, SensorHealthState, ExposureLevel`,
    },
    {
      title: 'Internet-facing devices with a high exposure level',
      query: `DeviceInfo
| where Timestamp > ago(7d)
| summarize arg_max(Timestamp, *) by DeviceId
| where IsInternetFacing == true and ExposureLevel == "High"
| project DeviceName, PublicIP, OSPlatform, AssetValue, DeviceManualTags`,
    },
    {
      title: 'Devices per operating system and sensor version',
      query: `DeviceInfo
| where Timestamp > ago(1d) and OnboardingStatus == "Onboarded"
| summarize Devices = dcount(DeviceId) by OSPlatform, ClientVersion
| sort by Devices desc`,
    },
  ],
} as const satisfies TableSpec;
