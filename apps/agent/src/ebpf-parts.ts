import type {
  BpfControl,
  BpfProcessEvent,
  CollectorFileCounters,
  CollectorFileRow,
  CollectorWriter,
  FileLine,
  FileLook,
  NetEvent,
} from '@vigil/sensors';

/**
 * What the file sensor's part delivers: events, the source's settle looks or its rows, their writers and its
 * counters (vigil-collector), control events.
 */
export type FilePartEvent =
  | FileLine
  | FileLook
  | CollectorFileRow
  | CollectorWriter
  | CollectorFileCounters
  | BpfControl;

/** What a sensor needs from its eBPF source (bpftrace or vigil-collector): started and stopped, and counters. */
export interface ProbeSource {
  /** Resolves once the probes are attached (rejects when they cannot be). */
  start(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  /** Lines (bpftrace) or records (vigil-collector) read. */
  readonly lines: number;
  readonly restarts: number;
  /**
   * Events come in kernel order: vigil-collector's single ring buffer hands records out in the order they were
   * reserved. bpftrace's per-CPU buffers do not (a child's exec can be read before its fork).
   */
  readonly ordered: boolean;
}

/** The process running the probes of several sensors. */
export interface PartHub {
  readonly restarts: number;
  /** See ProbeSource.ordered. */
  readonly ordered: boolean;
  /**
   * The source looks at written paths until their writes settle and reports what it found (vigil-collector with
   * --settle-ms: FileLook events): the file sensor then looks only when a look is overdue.
   */
  readonly looks?: boolean;
  /** Called when a part stops: the hub stops once every part has. */
  partStopped(): Promise<void>;
}

/** Events that arrive before the sensor takes its part are kept, up to this many. */
const EARLY_EVENTS = 10_000;

/** A sensor's share of a shared eBPF source: its events (T), started with it, stopped with the last part. */
export class SharedPart<T> implements ProbeSource {
  lines = 0;
  private sink: ((e: T) => void) | undefined;
  private early: T[] = [];
  stopped = false;

  constructor(
    readonly name: string,
    private readonly hub: PartHub,
  ) {}

  /** Where this part's events (and the control events: attached, lost) go from now on. */
  bind(onEvent: (e: T) => void): void {
    this.sink = onEvent;
    const early = this.early;
    this.early = [];
    for (const e of early) onEvent(e);
  }

  deliver(e: T): void {
    this.lines++;
    if (this.stopped) return;
    if (this.sink) this.sink(e);
    else if (this.early.length < EARLY_EVENTS) this.early.push(e);
  }

  get restarts(): number {
    return this.hub.restarts;
  }

  get ordered(): boolean {
    return this.hub.ordered;
  }

  get looks(): boolean {
    return this.hub.looks === true;
  }

  /** The hub is already attached when a part is handed out. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.hub.partStopped();
  }
}

/** The eBPF sensors' parts of one shared source, and which program runs them. */
export interface SensorParts {
  readonly via: 'vigil-collector' | 'bpftrace';
  readonly process?: SharedPart<BpfProcessEvent>;
  readonly network?: SharedPart<NetEvent | BpfControl>;
  readonly file?: SharedPart<FilePartEvent>;
}
