/** Files agents upload for actions. */
export { ActionFiles } from './action-files.js';
/** The requests users make, validated per action type. */
export { type ActionRequest, MAX_LIVE_RESPONSE_COMMANDS, parseActionRequest } from './action-request.js';
/** Machine actions: queue, signed commands, reports, expiry, isolation state. */
export { type ActionFilter, ActionService, type ActionTarget, type IsolationState } from './action-service.js';
/** The tenant's audit log. */
export { AuditLog } from './audit-log.js';
/** The tenant's command-signing key. */
export { CommandKeys } from './command-keys.js';
/** Defender's MachineAction resource. */
export type {
  ActionFile,
  LiveResponseCommandState,
  MachineAction,
} from './machine-action.js';
