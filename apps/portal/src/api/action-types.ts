/** Defender's machine-action states. */
export const actionStatuses = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'TimeOut', 'Cancelled'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

/** The response actions the agent executes. */
export const actionTypes = [
  'Isolate',
  'Unisolate',
  'KillProcess',
  'StopAndQuarantineFile',
  'RestoreQuarantinedFile',
  'CollectInvestigationPackage',
  'LiveResponse',
] as const;
export type ActionType = (typeof actionTypes)[number];

/** The allowlisted live-response commands and the parameter each needs (the server checks them again). */
export const liveResponseCommands = {
  Processes: null,
  Connections: null,
  Users: null,
  Persistence: null,
  Dir: 'Path',
  FileInfo: 'Path',
  GetFile: 'Path',
  FindFile: 'Name',
} as const satisfies Readonly<Record<string, 'Path' | 'Name' | null>>;
export type LiveResponseCommandType = keyof typeof liveResponseCommands;

/** A live-response command: Defender's `{type, params:[{key, value}]}`. */
export interface LiveResponseCommand {
  readonly type: LiveResponseCommandType;
  readonly params: readonly { readonly key: string; readonly value: string }[];
}

/** One step of an action's life: its audit trail on the action itself. */
export interface ActionHistoryEntry {
  readonly status: ActionStatus;
  readonly time: string;
  readonly by: string;
  readonly comment?: string;
}

/** Defender's MachineAction, as `/api/machineactions` answers it. */
export interface MachineAction {
  readonly id: string;
  readonly type: ActionType;
  readonly title: string;
  readonly status: ActionStatus;
  readonly machineId: string;
  readonly computerDnsName: string;
  readonly requestor: string;
  readonly requestorComment: string;
  readonly requestSource?: string;
  readonly creationDateTimeUtc: string;
  readonly lastUpdateDateTimeUtc: string;
  readonly expirationDateTimeUtc: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly errorMessage?: string;
  readonly result?: Readonly<Record<string, unknown>>;
  readonly commands?: readonly {
    readonly index: number;
    readonly command: LiveResponseCommand;
    readonly commandStatus: string;
    readonly errors: readonly string[];
    readonly output?: unknown;
    readonly file?: { readonly size: number; readonly sha256: string };
  }[];
  readonly files?: readonly { readonly name: string; readonly size: number; readonly sha256: string }[];
  readonly cancellationRequestor?: string;
  readonly cancellationComment?: string;
  readonly cancellationDateTimeUtc?: string;
  readonly history: readonly ActionHistoryEntry[];
}

/** The bodies of `POST /api/machines/{id}/<route>`, by route. */
export interface ActionRequests {
  readonly isolate: { readonly Comment: string; readonly IsolationType?: 'Full' };
  readonly unisolate: { readonly Comment: string };
  readonly kill: { readonly Comment: string; readonly ProcessId: number; readonly ProcessCreationTime: string };
  readonly quarantine: { readonly Comment: string; readonly Path: string; readonly Sha256?: string };
  readonly unquarantine: { readonly Comment: string; readonly Sha256: string };
  readonly collectInvestigationPackage: { readonly Comment: string };
  readonly runLiveResponse: { readonly Comment: string; readonly Commands: readonly LiveResponseCommand[] };
}
export type ActionRoute = keyof ActionRequests;

/** The filters and page of `GET /api/machineactions`. */
export interface ActionQuery {
  readonly machineId?: string;
  readonly status?: readonly ActionStatus[];
  readonly type?: readonly ActionType[];
  readonly top?: number;
  readonly skip?: number;
}

/** One entry of the tenant's audit log (`GET /api/auditlog`, admins). */
export interface AuditEntry {
  readonly id: string;
  readonly time: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: Readonly<Record<string, unknown>>;
}
