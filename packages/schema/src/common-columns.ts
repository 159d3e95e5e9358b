/**
 * Descriptions of the columns that several hunting tables share, written once so every table says the same thing
 * about the same column. A table passes its own description to `col()` where the shared one would be wrong for it.
 */
export const commonColumnDescriptions = {
  // Event identity and device
  Timestamp: 'Date and time when the event was recorded',
  DeviceId: 'Unique identifier of the device in the service',
  DeviceName: 'Fully qualified domain name (FQDN) of the device',
  AadDeviceId: 'Unique identifier of the device in Microsoft Entra ID (formerly Azure AD)',
  ActionType: 'Type of activity that triggered the event; the table description lists the usual values',
  ReportId:
    'Event identifier from a per-device repeating counter; combine it with DeviceName (or DeviceId) and Timestamp ' +
    'to identify one event',
  AdditionalFields: 'Extra details about the event as JSON text; read its properties with parse_json()',
  AppGuardContainerId:
    'Identifier of the virtualized container that Application Guard used to isolate browser activity',

  // The file the action was applied to
  FileName: 'Name of the file that the recorded action was applied to',
  FolderPath: 'Folder containing the file that the recorded action was applied to',
  SHA1: 'SHA-1 hash of the file that the recorded action was applied to',
  SHA256:
    'SHA-256 hash of the file that the recorded action was applied to; often empty, so prefer SHA1 when available',
  MD5: 'MD5 hash of the file that the recorded action was applied to',
  FileSize: 'Size of the file in bytes',
  FileOriginUrl: 'URL the file was downloaded from',
  FileOriginIP: 'IP address the file was downloaded from',

  // The account involved in the action
  AccountDomain: 'Domain of the account',
  AccountName: 'User name of the account; on Entra-registered devices this may be the Entra ID user name',
  AccountSid: 'Security identifier (SID) of the account',
  AccountUpn: 'User principal name (UPN) of the account',
  AccountObjectId: 'Unique identifier of the account in Microsoft Entra ID',
  LogonId: 'Identifier of the logon session, unique on the device only until it restarts',

  // The process created or acted upon
  ProcessId: 'Process ID (PID) of the newly created process',
  ProcessCommandLine: 'Command line used to create the new process',
  ProcessCreationTime: 'Date and time when the new process was created',
  ProcessTokenElevation:
    'Token elevation type of the new process: TokenElevationTypeLimited, TokenElevationTypeDefault or ' +
    'TokenElevationTypeFull',
  CreatedProcessSessionId: 'Windows session ID of the created process',
  IsProcessRemoteSession:
    'Whether the created process ran in a remote desktop protocol (RDP) session (true) or locally (false)',
  ProcessRemoteSessionDeviceName: 'Name of the remote device from which the RDP session of the created process came',
  ProcessRemoteSessionIP: 'IP address of the remote device from which the RDP session of the created process came',

  // Network endpoints
  RemoteIP: 'IP address that was being connected to',
  RemotePort: 'Port on the remote device that was being connected to',
  RemoteUrl: 'URL or fully qualified domain name (FQDN) that was being connected to',
  RemoteIPType: 'Type of the remote IP address, such as Public, Private, Reserved, Loopback, Teredo or Broadcast',
  RemoteDeviceName: 'Name of the remote device that performed an operation on this device (FQDN, NetBIOS or host name)',
  LocalIP: 'IP address of the local device used during the communication',
  LocalPort: 'Port on the local device used during the communication',
  Protocol: 'Network protocol used during the communication',

  // Registry
  RegistryKey: 'Registry key that the recorded action was applied to',
  RegistryValueName: 'Name of the registry value that the recorded action was applied to',
  RegistryValueData: 'Data of the registry value that the recorded action was applied to',

  // The initiating process: the process responsible for the event
  InitiatingProcessAccountDomain: 'Domain of the account that ran the process responsible for the event',
  InitiatingProcessAccountName: 'User name of the account that ran the process responsible for the event',
  InitiatingProcessAccountSid:
    'Security identifier (SID) of the account that ran the process responsible for the event',
  InitiatingProcessAccountUpn:
    'User principal name (UPN) of the account that ran the process responsible for the event',
  InitiatingProcessAccountObjectId:
    'Microsoft Entra object ID of the account that ran the process responsible for the event',
  InitiatingProcessLogonId: 'Identifier of the logon session of the process responsible for the event',
  InitiatingProcessIntegrityLevel:
    'Windows integrity level (such as Low, Medium, High or System) of the process responsible for the event',
  InitiatingProcessTokenElevation:
    'Token elevation type (User Account Control) of the process responsible for the event',
  InitiatingProcessSHA1: 'SHA-1 hash of the image file of the process responsible for the event',
  InitiatingProcessSHA256:
    'SHA-256 hash of the image file of the process responsible for the event; often empty, so prefer SHA-1',
  InitiatingProcessMD5: 'MD5 hash of the image file of the process responsible for the event',
  InitiatingProcessFileName: 'File name of the process responsible for the event',
  InitiatingProcessFileSize: 'Size in bytes of the image file of the process responsible for the event',
  InitiatingProcessFolderPath: 'Folder containing the image file of the process responsible for the event',
  InitiatingProcessVersionInfoCompanyName:
    'Company name from the version information of the image file of the process responsible for the event',
  InitiatingProcessVersionInfoProductName:
    'Product name from the version information of the image file of the process responsible for the event',
  InitiatingProcessVersionInfoProductVersion:
    'Product version from the version information of the image file of the process responsible for the event',
  InitiatingProcessVersionInfoInternalFileName:
    'Internal file name from the version information of the image file of the process responsible for the event',
  InitiatingProcessVersionInfoOriginalFileName:
    'Original file name from the version information of the image file of the process responsible for the event',
  InitiatingProcessVersionInfoFileDescription:
    'File description from the version information of the image file of the process responsible for the event',
  InitiatingProcessId: 'Process ID (PID) of the process responsible for the event',
  InitiatingProcessCommandLine: 'Command line of the process responsible for the event',
  InitiatingProcessCreationTime: 'Date and time when the process responsible for the event was started',
  InitiatingProcessParentId: 'Process ID (PID) of the parent of the process responsible for the event',
  InitiatingProcessParentFileName: 'File name of the parent of the process responsible for the event',
  InitiatingProcessParentCreationTime:
    'Date and time when the parent of the process responsible for the event was started',
  InitiatingProcessSessionId: 'Windows session ID of the process responsible for the event',
  IsInitiatingProcessRemoteSession:
    'Whether the process responsible for the event ran in a remote desktop protocol (RDP) session (true) or ' +
    'locally (false)',
  InitiatingProcessRemoteSessionDeviceName:
    'Name of the remote device from which the RDP session of the process responsible for the event came',
  InitiatingProcessRemoteSessionIP:
    'IP address of the remote device from which the RDP session of the process responsible for the event came',
  InitiatingProcessUniqueId:
    'Unique identifier (the Windows process start key) of the process responsible for the event; unlike the PID ' +
    'it is not reused',

  // Operating system and software (vulnerability management)
  OSPlatform: 'Platform of the operating system running on the device, such as Windows11, Windows10, Linux or macOS',
  OSVersion: 'Version of the operating system running on the device',
  OSArchitecture: 'Architecture of the operating system running on the device, such as 32-bit or 64-bit',
  SoftwareVendor: 'Name of the software publisher',
  SoftwareName: 'Name of the software product',
  SoftwareVersion: 'Version number of the software product',
  CveId: 'Identifier of the vulnerability in the Common Vulnerabilities and Exposures (CVE) system',
  VulnerabilitySeverityLevel:
    'Severity of the vulnerability (Low, Medium, High or Critical), from its CVSS score and the threat landscape',
  ConfigurationId: 'Unique identifier of the security configuration',
  ConfigurationCategory: 'Category of the configuration: Application, OS, Network, Accounts or Security controls',
  ConfigurationSubcategory: 'Subcategory of the configuration, often naming a specific capability or feature',
  ConfigurationImpact: 'Rated impact of the configuration on the overall configuration score, from 1 to 10',

  // Alerts
  AlertId: 'Unique identifier of the alert',
  Title: 'Title of the alert',
  ServiceSource: 'Product or service that raised the alert, such as Microsoft Defender for Endpoint',
  DetectionSource: 'Detection technology or sensor that identified the notable component or activity',
  AttackTechniques: 'MITRE ATT&CK techniques associated with the alert, as a JSON array in text',
  Severity: 'Potential impact of the threat the alert identified: High, Medium, Low or Informational',
  SentinelWorkspaceIds: 'Identifiers of the Microsoft Sentinel workspaces that the alert is also shared with',
} as const satisfies Record<string, string>;

/** The name of a column whose description is shared by several tables. */
export type CommonColumnName = keyof typeof commonColumnDescriptions;

/** Whether `name` has a shared description. */
export function isCommonColumnName(name: string): name is CommonColumnName {
  return Object.hasOwn(commonColumnDescriptions, name);
}
