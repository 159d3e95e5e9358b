/** Starts the Linux agent: enrollment, sensors, spool and upload. */

/** The process sources the agent can use. */
export type { ProcessSourceKind } from './process-source.js';
export { AGENT_VERSION, type AgentOptions, type AgentStats, type RunningAgent, runAgent } from './run-agent.js';
