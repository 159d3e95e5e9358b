/** Channels whose spelling we know, in the case Windows uses; exporters sometimes lower-case them (`security`). */
export const knownChannels = [
  'Security',
  'System',
  'Application',
  'Setup',
  'Windows PowerShell',
  'Microsoft-Windows-PowerShell/Operational',
  'Microsoft-Windows-Sysmon/Operational',
  'Linux-Sysmon/Operational',
  'Microsoft-Windows-TaskScheduler/Operational',
  'Microsoft-Windows-WMI-Activity/Operational',
  'Microsoft-Windows-Windows Defender/Operational',
  'Microsoft-Windows-Windows Firewall With Advanced Security/Firewall',
  'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  'Microsoft-Windows-Bits-Client/Operational',
  'Microsoft-Windows-DNS-Client/Operational',
  'Microsoft-Windows-CodeIntegrity/Operational',
  'Microsoft-Windows-AppLocker/EXE and DLL',
  'Microsoft-Windows-AppLocker/MSI and Script',
  'Microsoft-Windows-NTLM/Operational',
  'Microsoft-Windows-SMBClient/Security',
  'Microsoft-Windows-Kernel-IO/Operational',
  'Directory Service',
  'DNS Server',
] as const satisfies readonly string[];

const byLowerCase: ReadonlyMap<string, string> = new Map(
  knownChannels.map((c): [string, string] => [c.toLowerCase(), c]),
);

/** A channel name in its canonical case when it is a known channel; any other name is returned trimmed, unchanged. */
export function canonicalChannel(name: string): string {
  let canonical = seen.get(name);
  if (canonical === undefined) {
    const trimmed = name.trim();
    canonical = byLowerCase.get(trimmed.toLowerCase()) ?? trimmed;
    if (seen.size >= 1000) seen.clear();
    seen.set(name, canonical);
  }
  return canonical;
}

/** Channel names seen so far and their canonical form: logs repeat a few channels. */
const seen = new Map<string, string>();
