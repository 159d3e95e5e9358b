import type { BootClock, ProcessTree } from '@vigil/sensors';
import type { FileHasher } from './file-hasher.js';
import type { Telemetry } from './telemetry.js';
import type { UserNames } from './user-names.js';

/** What the sensors share. */
export interface AgentContext {
  readonly tree: ProcessTree;
  readonly clock: BootClock;
  readonly users: UserNames;
  readonly hasher: FileHasher;
  readonly telemetry: Telemetry;
  readonly log: (line: string) => void;
  readonly procPollMs: number;
}
