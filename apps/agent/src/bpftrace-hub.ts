import { bpfPrintfData } from '@vigil/sensors';
import { BpftraceChild } from './bpftrace-child.js';
import { type PartHub, SharedPart } from './ebpf-parts.js';

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

  readonly ordered = false;

  get restarts(): number {
    return this.child?.restarts ?? 0;
  }

  /** Stops bpftrace once every part has stopped. */
  async partStopped(): Promise<void> {
    if (this.parts.every((p) => p.part.stopped)) await this.child?.stop();
  }
}
