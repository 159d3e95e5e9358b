import { type ImageHashes, type ProcessInfo, processInfo } from '@vigil/sensors';
import type { AgentContext } from './agent-context.js';
import { BoundedMap } from './bounded-map.js';
import { readProcess } from './proc-fs.js';

/** The process responsible for an event and its parent, as known when the event arrived. */
export interface Initiator {
  readonly proc: ProcessInfo | undefined;
  readonly parent: ProcessInfo | undefined;
  /** proc: read from /proc on arrival; tree: the process was gone, taken from the process tree. */
  readonly from: 'proc' | 'tree' | 'none';
}

/**
 * Finds the process behind an event. /proc is read the moment the event arrives (the process tree may lag by
 * the eBPF reorder window and misses nothing /proc still shows); a process already gone is taken from the tree.
 * The parent is the tree's record of the creator when it is consistent, else /proc's view.
 */
export function findInitiator(ctx: AgentContext, pid: number): Initiator {
  const fresh = pid > 0 ? readProcess(pid, ctx.clock, ctx.users) : undefined;
  const known = ctx.tree.get(pid);
  let proc: ProcessInfo | undefined;
  let from: Initiator['from'] = 'none';
  if (fresh) {
    from = 'proc';
    // The tree knows the creator (not the reaper) and may already hold hashes of this image.
    const same = known && known.startTicks === fresh.startTicks;
    proc = processInfo(
      fresh,
      { ppid: same ? known.ppid : fresh.ppid },
      same && known.path === fresh.path && known.sha1 ? (known as ImageHashes) : undefined,
    );
  } else if (known) {
    from = 'tree';
    proc = known;
  }
  let parent: ProcessInfo | undefined;
  if (proc) {
    parent = ctx.tree.parentOf(proc);
    if (!parent && proc.ppid > 0) {
      const p = readProcess(proc.ppid, ctx.clock, ctx.users);
      if (p && p.startTicks <= proc.startTicks) parent = p;
    }
  }
  return { proc, parent, from };
}

/**
 * The process with the hashes of its image file (cached by the hasher): at once when the hasher knows them or hashes
 * the file on the spot (a small one), else a promise.
 */
export function withImageHashes(
  ctx: AgentContext,
  p: ProcessInfo | undefined,
): ProcessInfo | undefined | Promise<ProcessInfo | undefined> {
  if (!p || p.sha1 || !p.path) return p;
  const h = ctx.hasher.hashNow(p.path);
  if (h instanceof Promise) return h.then((v) => (v ? processInfo(p, {}, v) : p));
  return h ? processInfo(p, {}, h) : p;
}

/** Tracks rows still being built (hashing) so that flush() can wait for them. */
export class InFlight {
  private readonly set = new Set<Promise<void>>();

  add(p: Promise<void>, onError: (e: unknown) => void): void {
    const q = p.catch(onError).finally(() => this.set.delete(q));
    this.set.add(q);
  }

  async settle(): Promise<void> {
    while (this.set.size > 0) await Promise.all([...this.set]);
  }
}

/** An initiator with the hashes of its image (and its parent's), once they are known. */
export interface CachedInitiator {
  who: Initiator;
  hashed?: Initiator;
  pending?: Promise<Initiator>;
  /**
   * Set when the process was already gone from /proc and not yet in the process tree: it is looked up again at
   * `atMs` (once the process source has handled its exec), and must have started at `startTicks`.
   */
  late?: { readonly pid: number; readonly startTicks: number; readonly atMs: number };
}

/**
 * Initiators by (pid, start time, exec count), as the file probe reports them: a process that writes ten thousand
 * files is read from /proc and hashed once, and an exec (new exec count) or a reused pid (new start time) is a
 * new key. Bounded: the oldest entries go first.
 */
export class InitiatorCache {
  private readonly map: BoundedMap<string, CachedInitiator>;
  private last:
    | {
        readonly pid: number;
        readonly startNs: bigint;
        readonly execId: number;
        readonly key: string;
        readonly c: CachedInitiator;
      }
    | undefined;
  misses = 0;

  constructor(
    private readonly ctx: AgentContext,
    maxEntries = 4096,
  ) {
    this.map = new BoundedMap(maxEntries);
  }

  /** The initiator, read from /proc (or the tree) the first time this process image is seen. */
  get(pid: number, startNs: bigint, execId: number): CachedInitiator {
    // Events of one process come in runs: the last answer first (no key to build).
    const last = this.last;
    if (
      last !== undefined &&
      last.pid === pid &&
      last.startNs === startNs &&
      last.execId === execId &&
      this.map.has(last.key)
    )
      return last.c;
    const key = `${pid}:${startNs}:${execId}`;
    let c = this.map.get(key);
    if (!c) {
      this.misses++;
      c = { who: findInitiator(this.ctx, pid) };
      if (c.who.from === 'none' && pid > 0)
        c.late = { pid, startTicks: this.ctx.clock.ticksFromNs(startNs), atMs: Date.now() + this.ctx.lateInitiatorMs };
      this.map.set(key, c);
    }
    this.last = { pid, startNs, execId, key, c };
    return c;
  }
}

/**
 * Looks for a process that was gone on arrival and not yet in the process tree: at `atMs` (after the process
 * source's reorder window), and once more 2 × ctx.lateInitiatorMs later when a busy machine delayed its exec.
 * Undefined when it is still unknown, or when `accept` refuses what was found (another process with the pid).
 */
export async function lateInitiator(
  ctx: AgentContext,
  pid: number,
  atMs: number,
  accept: (p: ProcessInfo) => boolean = () => true,
): Promise<Initiator | undefined> {
  for (const at of [atMs, atMs + 2 * ctx.lateInitiatorMs]) {
    const wait = at - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const again = findInitiator(ctx, pid);
    if (again.proc && accept(again.proc)) return again;
  }
  return undefined;
}

/**
 * The initiator with image hashes: at once when known, else a promise (hashed once per cache entry). A process that
 * was gone on arrival is looked up again in the process tree first (see CachedInitiator.late).
 */
export function hashedInitiator(ctx: AgentContext, c: CachedInitiator): Initiator | Promise<Initiator> {
  if (c.hashed) return c.hashed;
  if (c.pending) return c.pending;
  const late = c.late;
  if (!late) return hashImages(ctx, c);
  c.pending = lateInitiator(ctx, late.pid, late.atMs, (p) => Math.abs(p.startTicks - late.startTicks) <= 1).then(
    (again) => {
      if (again) c.who = again;
      delete c.late;
      return hashImages(ctx, c);
    },
  );
  return c.pending;
}

/**
 * hashedInitiator's hashes of the process's and its parent's images: without a promise when the hasher has them
 * now. The rows of a process that writes or deletes thousands of files are built at once (a promise would hold
 * every row of the sweep that met the process first until the next microtask).
 */
function hashImages(ctx: AgentContext, c: CachedInitiator): Initiator | Promise<Initiator> {
  const who = c.who;
  const proc = withImageHashes(ctx, who.proc);
  const parent = who.parent ? withImageHashes(ctx, who.parent) : undefined;
  if (proc instanceof Promise || parent instanceof Promise) {
    c.pending = Promise.all([proc, parent]).then(([p, q]) => {
      c.hashed = { proc: p, parent: q, from: who.from };
      return c.hashed;
    });
    return c.pending;
  }
  c.hashed = { proc, parent, from: who.from };
  return c.hashed;
}
