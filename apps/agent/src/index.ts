/** Starts the Linux agent: enrollment, sensors, spool and upload. */

/** The network sources and the default trees of the file sensor. */
export { DEFAULT_FILE_WATCH_PATHS } from './file-sensor.js';
/** `vigil agent install`: enrollment and the systemd unit. */
export { agentUnit, type InstallOptions, type InstallResult, installAgentService, UNIT_NAME } from './install.js';
export type { NetworkSourceKind } from './network-sensor.js';
/** The process sources the agent can use. */
export type { ProcessSourceKind } from './process-source.js';
export { AGENT_VERSION, type AgentOptions, type AgentStats, type RunningAgent, runAgent } from './run-agent.js';
export type { EbpfProgram } from './sensors.js';
