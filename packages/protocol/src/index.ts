export { closestNames } from './closest.js';
export {
  type AgentCommand,
  type CommandReport,
  finalStatuses,
  type LiveResponseCommand,
  type LiveResponseCommandType,
  type LiveResponseResult,
  liveResponseCommands,
  type MachineActionStatus,
  type MachineActionType,
  machineActionStatuses,
  machineActionTypes,
  parseAgentCommand,
  type SignedCommand,
} from './commands.js';
export { normalizeDatetime } from './datetime.js';
export { type RowProblem, RowValidator, type ValidatorOptions, type ValidRow } from './row-validator.js';
