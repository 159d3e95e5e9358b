/** Starts the Linux agent: enrollment, sensors, spool and upload. */

/** Builds vigil-collector (cached by its sources' hash under the data directory). */
export { buildCollector, type CollectorBuild, collectorFeatures } from './collector.js';
/** The image and file hashes of the agent, cached by file identity. */
export { FileHasher, type FileHashes } from './file-hasher.js';
/** The network sources and the default trees of the file sensor. */
export { DEFAULT_FILE_WATCH_PATHS, SCRIPT_EXTENSIONS } from './file-sensor.js';
/** `vigil agent install`: enrollment and the systemd unit. */
export {
  AGENT_NODE_FLAGS,
  agentUnit,
  type InstallOptions,
  type InstallResult,
  installAgentService,
  UNIT_NAME,
} from './install.js';
export type { NetworkSourceKind } from './network-sensor.js';
/** The process sources the agent can use. */
export type { ProcessSourceKind } from './process-source.js';
/** Replays a capture of vigil-collector's output through the agent's event path (`npm run bench -- agent-replay`). */
export { type ReplayOptions, type ReplayResult, replayCapture } from './replay.js';
export { AGENT_VERSION, type AgentOptions, type AgentStats, type RunningAgent, runAgent } from './run-agent.js';
export type { EbpfProgram } from './sensors.js';
