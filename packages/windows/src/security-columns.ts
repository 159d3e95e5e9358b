// Column builders shared by the Security log mappings: subjects, targets, caller processes and the codes that
// Windows writes as numbers or %%-message references and Defender shows as names.

import { pathColumns } from './event-columns.js';
import { executableOf, int32, long, text } from './field-values.js';
import { canonicalIp, ipAddressType } from './ip-address.js';

type Columns = Record<string, unknown>;

/** Defender's LogonType names for the Windows logon type numbers. */
export const logonTypeNames: Readonly<Record<number, string>> = {
  0: 'System',
  2: 'Interactive',
  3: 'Network',
  4: 'Batch',
  5: 'Service',
  6: 'Proxy',
  7: 'Unlock',
  8: 'NetworkCleartext',
  9: 'NewCredentials',
  10: 'RemoteInteractive',
  11: 'CachedInteractive',
  12: 'CachedRemoteInteractive',
  13: 'CachedUnlock',
};

/** FailureReason names for the NTSTATUS codes of event 4625 (Defender-style names; the exact spelling is ours). */
export const logonFailureReasons: Readonly<Record<string, string>> = {
  '0xc0000064': 'UnknownUser',
  '0xc000006a': 'WrongPassword',
  '0xc000006d': 'InvalidUserNameOrPassword',
  '0xc000006e': 'AccountRestriction',
  '0xc000006f': 'InvalidLogonHours',
  '0xc0000070': 'InvalidWorkstation',
  '0xc0000071': 'PasswordExpired',
  '0xc0000072': 'AccountDisabled',
  '0xc0000133': 'ClockOutOfSync',
  '0xc000015b': 'LogonTypeNotGranted',
  '0xc0000193': 'AccountExpired',
  '0xc0000224': 'PasswordMustChange',
  '0xc0000234': 'AccountLocked',
  '0xc0000413': 'AuthenticationFirewallFailure',
};

const integrityLevels: Readonly<Record<string, string>> = {
  'S-1-16-0': 'Untrusted',
  'S-1-16-4096': 'Low',
  'S-1-16-8192': 'Medium',
  'S-1-16-8448': 'MediumPlus',
  'S-1-16-12288': 'High',
  'S-1-16-16384': 'System',
  'S-1-16-20480': 'ProtectedProcess',
};

const NULL_SID = 'S-1-0-0';

/** A SID field; the NULL SID (`S-1-0-0`), which Windows writes for "nobody", reads as absent. */
export function sid(value: unknown): string | undefined {
  const s = text(value);
  return s === NULL_SID ? undefined : s;
}

/** Defender's name for a logon type number (unknown numbers stay as their digits). */
export function logonTypeName(value: unknown): string | undefined {
  const n = long(value);
  if (typeof n !== 'number') return text(value);
  return logonTypeNames[n] ?? String(n);
}

/** The FailureReason of a failed logon: the SubStatus when the Status is a generic code, else the Status. */
export function failureReason(status: unknown, subStatus: unknown): string | undefined {
  const s = text(status)?.toLowerCase();
  const sub = text(subStatus)?.toLowerCase();
  const generic = s === '0xc000006d' || s === '0xc000006e';
  const code = generic && sub !== undefined && sub !== '0x0' ? sub : s;
  return code === undefined ? undefined : (logonFailureReasons[code] ?? code);
}

/** The integrity level name of a MandatoryLabel SID (`S-1-16-12288` → High). */
export function integrityLevel(value: unknown): string | undefined {
  const s = text(value)?.toUpperCase();
  return s === undefined ? undefined : integrityLevels[s];
}

/** Defender's token elevation name from event 4688's TokenElevationType (`%%1936`, `%%1937`, `%%1938`). */
export function tokenElevation(value: unknown): string | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  if (s === '%%1936' || s.includes('Default')) return 'TokenElevationTypeDefault';
  if (s === '%%1937' || s.includes('Full')) return 'TokenElevationTypeFull';
  if (s === '%%1938' || s.includes('Limited')) return 'TokenElevationTypeLimited';
  return s;
}

/** The Subject* fields (who acted) as InitiatingProcessAccount* columns and InitiatingProcessLogonId. */
export function subjectColumns(d: Record<string, unknown>): Columns {
  return {
    InitiatingProcessAccountSid: sid(d.SubjectUserSid),
    InitiatingProcessAccountName: text(d.SubjectUserName),
    InitiatingProcessAccountDomain: text(d.SubjectDomainName),
    InitiatingProcessLogonId: long(d.SubjectLogonId),
  };
}

/** The Target* account fields as Account* columns. */
export function targetAccountColumns(d: Record<string, unknown>): Columns {
  return {
    AccountSid: sid(d.TargetUserSid ?? d.TargetSid),
    AccountName: text(d.TargetUserName),
    AccountDomain: text(d.TargetDomainName),
  };
}

/** The caller process of a Security event (`ProcessName`, `ProcessId` in hex) as InitiatingProcess* columns. */
export function callerProcessColumns(d: Record<string, unknown>, name = 'ProcessName', pid = 'ProcessId'): Columns {
  const id = long(d[pid]);
  return { ...pathColumns(d[name], 'InitiatingProcess'), InitiatingProcessId: id === 0 ? undefined : id };
}

/** The remote end of a logon: IpAddress and IpPort (port 0 means none). */
export function remoteEndpointColumns(d: Record<string, unknown>): Columns {
  const ip = text(d.IpAddress);
  const port = int32(d.IpPort);
  const canonical = ip === undefined ? undefined : canonicalIp(ip);
  return {
    RemoteIP: canonical,
    RemoteIPType: canonical === undefined ? undefined : ipAddressType(canonical),
    RemotePort: port === 0 ? undefined : port,
  };
}

/** FileName and FolderPath of the executable at the start of a service's image path. */
export function serviceBinaryColumns(imagePath: unknown): Columns {
  return pathColumns(executableOf(imagePath));
}

/** The account name in a member's distinguished name (`CN=John Doe,OU=Staff,DC=corp` → `John Doe`). */
export function memberName(value: unknown): string | undefined {
  const s = text(value);
  if (s === undefined) return undefined;
  const cn = /^CN=((?:\\,|[^,])*)/i.exec(s);
  return cn?.[1] !== undefined ? cn[1].replace(/\\,/g, ',') : s;
}
