import { bpfPrintfData } from '@vigil/sensors';
import { BpftraceChild } from './bpftrace-child.js';

/** What a sensor needs from bpftrace: its program's output lines, started and stopped. */
export interface BpftraceSource {
  /** Resolves once the probes are attached (rejects when they cannot be). */
  start(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
  readonly lines: number;
  readonly restarts: number;
}

/** One sensor's program in a shared bpftrace, and where its lines go. */
export interface BpftracePartSpec {
  readonly name: string;
  readonly program: string;
  /** First characters of the printf lines this part prints (one tag per event kind). */
  readonly tags: string;
}

/** Lines that arrive before the sensor takes its part are kept, up to this many. */
const EARLY_LINES = 10_000;

/** A sensor's share of the shared bpftrace: started with it, stopped with the last part. */
export class BpftracePart implements BpftraceSource {
  lines = 0;
  private sink: ((line: string) => void) | undefined;
  private early: string[] = [];
  stopped = false;

  constructor(
    readonly spec: BpftracePartSpec,
    private readonly hub: BpftraceHub,
  ) {}

  /** Where this part's lines (and the control lines: attached, lost) go from now on. */
  bind(onLine: (line: string) => void): void {
    this.sink = onLine;
    const early = this.early;
    this.early = [];
    for (const l of early) onLine(l);
  }

  deliver(line: string): void {
    this.lines++;
    if (this.stopped) return;
    if (this.sink) this.sink(line);
    else if (this.early.length < EARLY_LINES) this.early.push(line);
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

/**
 * One bpftrace for several sensors: their programs run in one process (one LLVM compile, one set of perf
 * buffers, one reader) and printf lines go to the part whose tag starts them. Control lines (attached, lost events)
 * go to every part. Each bpftrace process costs about 100 MB of peak RSS, most of it the compiler.
 */
export class BpftraceHub {
  private readonly parts: BpftracePart[] = [];
  private readonly byTag = new Map<string, BpftracePart>();
  private child: BpftraceChild | undefined;

  constructor(
    specs: readonly BpftracePartSpec[],
    private readonly log: (line: string) => void,
    private readonly mapKeysMax = 8192,
  ) {
    for (const spec of specs) {
      const part = new BpftracePart(spec, this);
      this.parts.push(part);
      for (const t of spec.tags) {
        if (this.byTag.has(t)) throw new Error(`bpftrace tag ${t} of ${spec.name} is taken`);
        this.byTag.set(t, part);
      }
    }
  }

  /** Starts the shared program; resolves with the parts by name once the probes are attached. */
  async start(timeoutMs = 30_000): Promise<Map<string, BpftracePart>> {
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
    return new Map(this.parts.map((p) => [p.spec.name, p]));
  }

  private dispatch(line: string): void {
    const data = bpfPrintfData(line);
    const part = data !== undefined ? this.byTag.get(data.charAt(0)) : undefined;
    if (part) part.deliver(line);
    else if (data === undefined) for (const p of this.parts) p.deliver(line);
  }

  get restarts(): number {
    return this.child?.restarts ?? 0;
  }

  /** Stops bpftrace once every part has stopped. */
  async partStopped(): Promise<void> {
    if (this.parts.every((p) => p.stopped)) await this.child?.stop();
  }
}
