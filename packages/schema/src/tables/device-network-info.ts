import { col } from '../col.js';
import type { TableSpec } from '../table-spec.js';

/** DeviceNetworkInfo: network adapter configuration of each device. */
export const deviceNetworkInfo = {
  name: 'DeviceNetworkInfo',
  description:
    'Network configuration of devices: one row per network adapter and report, with its MAC and IP addresses, DNS ' +
    'servers, gateways and the networks it is connected to. Several columns hold JSON arrays as text; read them ' +
    'with `parse_json()` and `mv-expand`.',
  group: 'devices',
  writers: ['sensor', 'server'],
  timeColumn: 'Timestamp',
  columns: [
    col('Timestamp', 'datetime', 'Date and time when the adapter report was recorded'),
    col('DeviceId', 'string'),
    col('DeviceName', 'string'),
    col('NetworkAdapterName', 'string', 'Name of the network adapter'),
    col('MacAddress', 'string', 'MAC address of the network adapter'),
    col(
      'NetworkAdapterType',
      'string',
      'Type of the network adapter as a .NET NetworkInterfaceType value, such as Ethernet or Wireless80211',
    ),
    col(
      'NetworkAdapterStatus',
      'string',
      'Operational status of the adapter, named after the .NET OperationalStatus values (such as Up or Down)',
    ),
    col(
      'TunnelType',
      'string',
      'Tunneling protocol when the adapter is used for tunneling, such as 6to4, Teredo, ISATAP, PPTP, SSTP or SSH',
    ),
    col(
      'ConnectedNetworks',
      'string',
      'Networks the adapter is connected to, as a JSON array in text (name, category, description, internet access)',
    ),
    col('DnsAddresses', 'string', 'DNS server addresses of the adapter, as a JSON array in text'),
    col('IPv4Dhcp', 'string', 'IPv4 address of the DHCP server'),
    col('IPv6Dhcp', 'string', 'IPv6 address of the DHCP server'),
    col('DefaultGateways', 'string', 'Default gateway addresses of the adapter, as a JSON array in text'),
    col(
      'IPAddresses',
      'string',
      'IP addresses assigned to the adapter with their subnet prefix and address space, as a JSON array in text',
    ),
    col('ReportId', 'long'),
    col('NetworkAdapterVendor', 'string', 'Manufacturer or vendor of the network adapter'),
  ],
  examples: [
    {
      title: 'IP addresses currently assigned to each device',
      query: `DeviceNetworkInfo
| where Timestamp > ago(1d) and NetworkAdapterStatus == "Up"
| summarize arg_max(Timestamp, *) by DeviceId, MacAddress
| mv-expand IPAddress = parse_json(IPAddresses)
| project DeviceName, NetworkAdapterName, MacAddress, IP = tostring(IPAddress.IPAddress)`,
    },
    {
      title: 'Devices connected to a public network',
      query: `DeviceNetworkInfo
| where Timestamp > ago(7d)
| mv-expand Network = parse_json(ConnectedNetworks)
| where tostring(Network.Category) == "Public"
| distinct DeviceName, NetworkAdapterName, NetworkName = tostring(Network.Name)`,
    },
  ],
} as const satisfies TableSpec;
