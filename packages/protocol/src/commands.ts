/**
 * Response actions as they travel between server and agent. The server signs each command with its tenant's
 * Ed25519 key; the agent verifies the signature, the device id, the expiry and that it never ran the action
 * before. Defender's machine-action states are used from end to end.
 */

/** Defender's machine-action states. */
export const machineActionStatuses = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export type MachineActionStatus = (typeof machineActionStatuses)[number];

/** States an action never leaves. */
export const finalStatuses: readonly MachineActionStatus[] = ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'];
/** States of an action that is still to run or running. */
export const activeStatuses: readonly MachineActionStatus[] = ['Pending', 'InProgress'];

/** The action types the agent executes (Defender's names; KillProcess and RestoreQuarantinedFile are ours). */
export const machineActionTypes = [
  'Isolate',
  'Unisolate',
  'KillProcess',
  'StopAndQuarantineFile',
  'RestoreQuarantinedFile',
  'CollectInvestigationPackage',
  'LiveResponse',
] as const;
export type MachineActionType = (typeof machineActionTypes)[number];

/** The allowlisted live-response commands (Defender's basic commands that make sense on Linux). */
export const liveResponseCommands = [
  'Processes',
  'Connections',
  'Dir',
  'FileInfo',
  'FindFile',
  'GetFile',
  'Persistence',
  'Users',
] as const;
export type LiveResponseCommandType = (typeof liveResponseCommands)[number];

/** The parameter each live-response command needs (the server checks it; the portal asks for it). */
export const liveResponseCommandParams = {
  Processes: null,
  Connections: null,
  Users: null,
  Persistence: null,
  Dir: 'Path',
  FileInfo: 'Path',
  GetFile: 'Path',
  FindFile: 'Name',
} as const satisfies Readonly<Record<LiveResponseCommandType, 'Path' | 'Name' | null>>;

/** A live-response command: Defender's `{type, params:[{key, value}]}`. */
export interface LiveResponseCommand {
  readonly type: LiveResponseCommandType;
  readonly params: readonly { readonly key: string; readonly value: string }[];
}

/** What the server tells the agent to do; signed as one JSON text. */
export interface AgentCommand {
  readonly actionId: string;
  readonly tenant: string;
  readonly deviceId: string;
  readonly type: MachineActionType;
  /** Per type: Isolate {}, KillProcess {processId, processCreationTime}, StopAndQuarantineFile {path, sha256?}, … */
  readonly params: Readonly<Record<string, unknown>>;
  /** Live response only. */
  readonly commands?: readonly LiveResponseCommand[];
  readonly issuedAt: string;
  /** The agent refuses the command after this time. */
  readonly expiresAt: string;
  readonly nonce: string;
}

/** A command on the wire: the exact signed text and its Ed25519 signature (base64). */
export interface SignedCommand {
  readonly payload: string;
  readonly signature: string;
}

/** The result of one live-response command, as the agent reports it. */
export interface LiveResponseResult {
  readonly index: number;
  readonly commandStatus: 'Completed' | 'Failed';
  readonly errors: readonly string[];
  /** JSON output of the command (GetFile: the file's metadata; its content is uploaded apart). */
  readonly output?: unknown;
}

/** An agent's report on an action: `POST /api/agent/commands/{actionId}/status`. */
export interface CommandReport {
  readonly status: 'InProgress' | 'Succeeded' | 'Failed';
  readonly errorMessage?: string;
  /** Type-specific result: the quarantined file's record, the killed process, the isolation rules, … */
  readonly result?: Readonly<Record<string, unknown>>;
  readonly commands?: readonly LiveResponseResult[];
}

/** Parses a signed payload after its signature was verified; undefined when it is not an AgentCommand. */
export function parseAgentCommand(payload: string): AgentCommand | undefined {
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const c = v as Record<string, unknown>;
  const strings = ['actionId', 'tenant', 'deviceId', 'type', 'issuedAt', 'expiresAt', 'nonce'];
  if (!strings.every((k) => typeof c[k] === 'string')) return undefined;
  if (!(machineActionTypes as readonly unknown[]).includes(c.type)) return undefined;
  if (typeof c.params !== 'object' || c.params === null) return undefined;
  if (c.commands !== undefined && !Array.isArray(c.commands)) return undefined;
  return v as AgentCommand;
}

/** One step of an action's life, kept on the action as its audit trail. */
export interface ActionHistoryEntry {
  readonly status: MachineActionStatus;
  readonly time: string;
  /** The user, API token or `device:<id>` that caused the change. */
  readonly by: string;
  readonly comment?: string;
}

/** One entry of a tenant's audit log (`GET /api/auditlog`): who did what to which object, and when. */
export interface AuditEntry {
  readonly id: string;
  readonly time: string;
  /** A user or API token name, or `device:<id>` for an agent's report. */
  readonly actor: string;
  /** What happened, such as `MachineAction.Create` or `MachineAction.StatusChange`. */
  readonly action: string;
  /** The object it happened to, such as `machineaction/<id>`. */
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
}
