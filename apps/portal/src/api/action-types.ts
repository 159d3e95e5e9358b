import type { ActionHistoryEntry, LiveResponseCommand, MachineActionStatus, MachineActionType } from '@vigil/protocol';

/** Action states, types and the allowlisted live-response commands: the server's own lists, from the protocol. */
export {
  type ActionHistoryEntry,
  type AuditEntry,
  type LiveResponseCommand,
  type LiveResponseCommandType,
  liveResponseCommandParams as liveResponseCommands,
  machineActionStatuses as actionStatuses,
  machineActionTypes as actionTypes,
} from '@vigil/protocol';
export type ActionStatus = MachineActionStatus;
export type ActionType = MachineActionType;

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
