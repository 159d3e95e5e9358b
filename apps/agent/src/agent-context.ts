import type { BootClock, ProcessTree } from '@vigil/sensors';
import type { FileHasher } from './file-hasher.js';
import type { Telemetry } from './telemetry.js';
import type { UserNames } from './user-names.js';
import type { Rounds } from './wake-timer.js';

/** What the sensors share. */
export interface AgentContext {
  readonly tree: ProcessTree;
  readonly clock: BootClock;
  readonly users: UserNames;
  readonly hasher: FileHasher;
  readonly telemetry: Telemetry;
  readonly log: (line: string) => void;
  readonly procPollMs: number;
  /**
   * When a sensor looks again for a process that was gone from /proc on arrival and not yet in the process tree:
   * after the process source's reorder window (set by the eBPF process source; see lateInitiatorMs).
   */
  lateInitiatorMs: number;
  /** vigil-collector's rounds, which the sensors' timers line up with (see Rounds); none in some tests. */
  readonly rounds?: Rounds;
}
