import type {
  ActionHistoryEntry,
  LiveResponseCommand,
  LiveResponseResult,
  MachineActionStatus,
  MachineActionType,
} from '@vigil/protocol';

/** A live-response command with its outcome. */
export interface LiveResponseCommandState {
  readonly index: number;
  readonly command: LiveResponseCommand;
  readonly commandStatus: 'Created' | 'Completed' | 'Failed';
  readonly errors: readonly string[];
  readonly output?: unknown;
  /** A file the command uploaded (GetFile): its size and SHA-256. */
  readonly file?: { readonly size: number; readonly sha256: string };
}

/** A file an agent uploaded for an action (investigation package, GetFile). */
export interface ActionFile {
  readonly name: string;
  readonly size: number;
  readonly sha256: string;
  readonly uploadedAt: string;
}

/** Defender's MachineAction resource, with the params the agent got and the audit trail of its states. */
export interface MachineAction {
  readonly id: string;
  readonly type: MachineActionType;
  readonly scope: string | null;
  readonly title: string;
  readonly status: MachineActionStatus;
  readonly machineId: string;
  readonly computerDnsName: string;
  readonly requestor: string;
  readonly requestorComment: string;
  readonly requestSource: 'Portal' | 'API';
  readonly creationDateTimeUtc: string;
  readonly lastUpdateDateTimeUtc: string;
  /** A Pending action not picked up by then becomes TimeOut (the agent refuses it too). */
  readonly expirationDateTimeUtc: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly relatedFileInfo: { fileIdentifier: string; fileIdentifierType: 'Sha256' | 'Sha1' } | null;
  readonly commands?: readonly LiveResponseCommandState[];
  /** What the agent reported on success (type-specific). */
  readonly result?: Readonly<Record<string, unknown>>;
  readonly errorMessage?: string;
  readonly cancellationRequestor?: string;
  readonly cancellationComment?: string;
  readonly cancellationDateTimeUtc?: string;
  readonly files?: readonly ActionFile[];
  readonly history: readonly ActionHistoryEntry[];
}

/** Titles as Defender words them. */
export function actionTitle(
  type: MachineActionType,
  machine: string,
  params: Readonly<Record<string, unknown>>,
): string {
  switch (type) {
    case 'Isolate':
      return `Isolate ${machine}`;
    case 'Unisolate':
      return `Release ${machine} from isolation`;
    case 'KillProcess':
      return `Kill process ${String(params.processId)} on ${machine}`;
    case 'StopAndQuarantineFile':
      return `Stop and quarantine ${String(params.path)} on ${machine}`;
    case 'RestoreQuarantinedFile':
      return `Restore quarantined file ${String(params.sha256).slice(0, 12)}… on ${machine}`;
    case 'CollectInvestigationPackage':
      return `Collect investigation package from ${machine}`;
    case 'LiveResponse':
      return `Live response on ${machine}`;
  }
}

/** How long an action may stay InProgress before it is marked TimeOut. */
export function inProgressLimitMs(type: MachineActionType): number {
  if (type === 'CollectInvestigationPackage') return 60 * 60_000;
  if (type === 'LiveResponse') return 30 * 60_000;
  return 10 * 60_000;
}

/** Merges the agent's live-response results into the command list. */
export function mergeLiveResponse(
  commands: readonly LiveResponseCommandState[],
  results: readonly LiveResponseResult[] | undefined,
): LiveResponseCommandState[] {
  return commands.map((c) => {
    const r = results?.find((x) => x.index === c.index);
    if (!r) return c;
    return {
      ...c,
      commandStatus: r.commandStatus,
      errors: r.errors.slice(0, 20).map((e) => String(e).slice(0, 2000)),
      ...(r.output !== undefined ? { output: r.output } : {}),
    };
  });
}
