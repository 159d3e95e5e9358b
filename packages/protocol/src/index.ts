export { closestNames } from './closest.js';
export {
  type ActionHistoryEntry,
  type AgentCommand,
  type AuditEntry,
  activeStatuses,
  type CommandReport,
  finalStatuses,
  type LiveResponseCommand,
  type LiveResponseCommandType,
  type LiveResponseResult,
  liveResponseCommandParams,
  liveResponseCommands,
  type MachineActionStatus,
  type MachineActionType,
  machineActionStatuses,
  machineActionTypes,
  parseAgentCommand,
  type SignedCommand,
} from './commands.js';
export { normalizeDatetime } from './datetime.js';
export { INITIATING_REFERENCE, InitiatingReferences } from './initiating-reference.js';
export {
  isStoredDatetime,
  type RowProblem,
  RowValidator,
  type ValidatorOptions,
  type ValidRow,
} from './row-validator.js';
export {
  type AlertSeverity,
  type AlertStatus,
  alertSeverities,
  alertStatuses,
  type Classification,
  determinations,
  type IndicatorAction,
  type IndicatorType,
  indicatorActions,
  indicatorTypes,
} from './vocabulary.js';
