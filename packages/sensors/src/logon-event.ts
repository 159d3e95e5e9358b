import type { SensorRow } from './process-row.js';

/** A sign-in seen in the system logs or the login records. */
export interface LogonEvent {
  readonly timestamp: string;
  readonly actionType: 'LogonSuccess' | 'LogonFailed' | 'LogonAttempted';
  readonly logonType: 'Interactive' | 'RemoteInteractive' | 'Network' | 'Batch' | 'Service';
  readonly accountName: string;
  /** The program that handled the sign-in: sshd, login, su, sudo. */
  readonly program: string;
  readonly pid?: number;
  readonly remoteIp?: string;
  readonly remotePort?: number;
  readonly protocol?: string;
  readonly failureReason?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Classifies an IP address the way DeviceLogonEvents.RemoteIPType does. */
export function remoteIpType(ip: string): string {
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  if (v4) {
    const a = Number(v4[1]);
    const b = Number(v4[2]);
    if (a === 127) return 'Loopback';
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'Private';
    if (a === 169 && b === 254) return 'LinkLocal';
    if (a === 0 || a >= 224) return a === 255 ? 'Broadcast' : 'Reserved';
    if (a === 100 && b >= 64 && b <= 127) return 'Reserved';
    return 'Public';
  }
  const low = ip.toLowerCase();
  if (low === '::1') return 'Loopback';
  if (low.startsWith('fe80:')) return 'LinkLocal';
  if (low.startsWith('fc') || low.startsWith('fd')) return 'Private';
  if (low.startsWith('2001:0:') || low.startsWith('2001::')) return 'Teredo';
  if (low.startsWith('::ffff:')) return remoteIpType(low.slice(7));
  return ip.includes(':') ? 'Public' : '';
}

/** A DeviceLogonEvents row for a sign-in. */
export function logonRow(e: LogonEvent, source: string): SensorRow {
  const row: Record<string, unknown> = {
    Table: 'DeviceLogonEvents',
    Timestamp: e.timestamp,
    ActionType: e.actionType,
    LogonType: e.logonType,
    AccountName: e.accountName,
  };
  if (e.program) row.InitiatingProcessFileName = e.program;
  if (e.pid !== undefined) row.InitiatingProcessId = e.pid;
  if (e.remoteIp) {
    row.RemoteIP = e.remoteIp;
    row.RemoteIPType = remoteIpType(e.remoteIp);
  }
  if (e.remotePort !== undefined) row.RemotePort = e.remotePort;
  if (e.protocol) row.Protocol = e.protocol;
  if (e.failureReason) row.FailureReason = e.failureReason;
  row.IsLocalAdmin = e.accountName === 'root';
  row.AdditionalFields = JSON.stringify({ Source: source, ...e.details });
  return row as SensorRow;
}
