import { type BpfControl, type BpfProcessEvent, bpfPrintfData, type FileLine, type NetEvent } from '@vigil/sensors';
import { BpftraceChild } from './bpftrace-child.js';

/** What a sensor needs from its eBPF source (bpftrace or vigil-collector): started and stopped, and counters. */
export interface ProbeSource {
  /** Resolves once the probes are attached (rejects when they cannot be). */
  start(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  /** Lines (bpftrace) or records (vigil-collector) read. */
  readonly lines: number;
  readonly restarts: number;
}

/** The process running the probes of several sensors. */
export interface PartHub {
  readonly restarts: number;
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

  /** The hub is already attached when a part is handed out. */
  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    this.stopped = true;
    return this.hub.partStopped();
  }
}

/** One sensor's program in a shared bpftrace, and how its lines become its events. */
export interface BpftracePartSpec {
  readonly name: string;
  readonly program: string;
  /** First characters of the printf lines this part prints (one tag per event kind). */
  readonly tags: string;
  /** A line of this part (or a control line) as the sensor's event; undefined to drop it. */
  readonly parse: (line: string) => unknown;
}

/**
 * One bpftrace for several sensors: their programs run in one process (one LLVM compile, one set of perf
 * buffers, one reader) and printf lines go to the part whose tag starts them. Control lines (attached, lost events)
 * go to every part. Each bpftrace process costs about 100 MB of peak RSS, most of it the compiler.
 */
export class BpftraceHub implements PartHub {
  private readonly parts: { spec: BpftracePartSpec; part: SharedPart<unknown> }[] = [];
  private readonly byTag = new Map<string, { spec: BpftracePartSpec; part: SharedPart<unknown> }>();
  private child: BpftraceChild | undefined;

  constructor(
    specs: readonly BpftracePartSpec[],
    private readonly log: (line: string) => void,
    private readonly mapKeysMax = 8192,
  ) {
    for (const spec of specs) {
      const p = { spec, part: new SharedPart<unknown>(spec.name, this) };
      this.parts.push(p);
      for (const t of spec.tags) {
        if (this.byTag.has(t)) throw new Error(`bpftrace tag ${t} of ${spec.name} is taken`);
        this.byTag.set(t, p);
      }
    }
  }

  /** Starts the shared program; resolves with the parts by name once the probes are attached. */
  async start(timeoutMs = 30_000): Promise<Map<string, SharedPart<unknown>>> {
    const child = new BpftraceChild({
      name: this.parts.map((p) => p.spec.name).join('+'),
      program: this.parts.map((p) => p.spec.program).join('\n'),
      strlen: 200,
      mapKeysMax: this.mapKeysMax,
      log: this.log,
      isAttached: (line) => line.startsWith('{"type": "attached_probes"'),
      onLine: (line) => this.dispatch(line),
    });
    this.child = child;
    try {
      await child.start(timeoutMs);
    } catch (e) {
      await child.stop();
      throw e;
    }
    return new Map(this.parts.map((p) => [p.spec.name, p.part]));
  }

  private dispatch(line: string): void {
    const data = bpfPrintfData(line);
    const to = data !== undefined ? this.byTag.get(data.charAt(0)) : undefined;
    if (to) this.deliver(to, line);
    else if (data === undefined) for (const p of this.parts) this.deliver(p, line);
  }

  private deliver(p: { spec: BpftracePartSpec; part: SharedPart<unknown> }, line: string): void {
    const e = p.spec.parse(line);
    if (e !== undefined) p.part.deliver(e);
  }

  get restarts(): number {
    return this.child?.restarts ?? 0;
  }

  /** Stops bpftrace once every part has stopped. */
  async partStopped(): Promise<void> {
    if (this.parts.every((p) => p.part.stopped)) await this.child?.stop();
  }
}

/** The eBPF sensors' parts of one shared source, and which program runs them. */
export interface SensorParts {
  readonly via: 'vigil-collector' | 'bpftrace';
  readonly process?: SharedPart<BpfProcessEvent>;
  readonly network?: SharedPart<NetEvent | BpfControl>;
  readonly file?: SharedPart<FileLine | BpfControl>;
}
