/**
 * What the agent knows about one process (one pid between an exec and the next exec or exit). Every one is made
 * with all of these fields, in this order (hashes undefined until known; see processInfo), so that they share one
 * shape: the functions that read them stay monomorphic, and V8 does not throw their optimized code away whenever a
 * process of another shape comes by.
 */
export interface ProcessInfo {
  readonly pid: number;
  /** The process that created it (fork-time parent; not the reaper it may be reparented to). */
  readonly ppid: number;
  /** Start time in clock ticks since boot, as /proc/PID/stat field 22; (pid, startTicks) names a process. */
  readonly startTicks: number;
  /** ProcessCreationTime as ISO-8601 UTC. */
  readonly creationTime: string;
  /** Full path of the image file ('' when unknown). */
  readonly path: string;
  readonly commandLine: string;
  readonly uid: number;
  readonly accountName: string;
  readonly fileSize?: number | undefined;
  readonly sha1?: string | undefined;
  readonly sha256?: string | undefined;
  readonly md5?: string | undefined;
}

/** The image hashes of a process. */
export interface ImageHashes {
  readonly sha1: string;
  readonly sha256: string;
  readonly md5: string;
  readonly fileSize: number;
}

/** A copy of p with every field (in ProcessInfo's order), with `changes` applied and `hashes` when given. */
export function processInfo(p: ProcessInfo, changes: Partial<ProcessInfo> = {}, hashes?: ImageHashes): ProcessInfo {
  const h = hashes ?? p;
  return {
    pid: changes.pid ?? p.pid,
    ppid: changes.ppid ?? p.ppid,
    startTicks: changes.startTicks ?? p.startTicks,
    creationTime: changes.creationTime ?? p.creationTime,
    path: changes.path ?? p.path,
    commandLine: changes.commandLine ?? p.commandLine,
    uid: changes.uid ?? p.uid,
    accountName: changes.accountName ?? p.accountName,
    fileSize: h.fileSize,
    sha1: h.sha1,
    sha256: h.sha256,
    md5: h.md5,
  };
}

interface Entry {
  info: ProcessInfo;
  exitedAt?: number;
}

/** Options of a process tree. */
export interface ProcessTreeOptions {
  /** How long an exited process stays known, so late events of its children still find their parent. */
  readonly keepExitedMs: number;
  /** Upper bound of entries (oldest exited ones go first). */
  readonly maxEntries: number;
}

const defaults: ProcessTreeOptions = { keepExitedMs: 120_000, maxEntries: 200_000 };

/** The agent's view of live (and recently exited) processes, keyed by pid. */
export class ProcessTree {
  private readonly entries = new Map<number, Entry>();
  /** Exits in the order they happened, so that pruning looks only at the oldest (not at every process). */
  private exits: { readonly pid: number; readonly at: number }[] = [];
  private exitsHead = 0;
  private readonly options: ProcessTreeOptions;

  constructor(options: Partial<ProcessTreeOptions> = {}) {
    this.options = { ...defaults, ...options };
  }

  get size(): number {
    return this.entries.size;
  }

  /** The process with this pid (alive or recently exited), when known. */
  get(pid: number): ProcessInfo | undefined {
    return this.entries.get(pid)?.info;
  }

  /** The creator of this process, when known and not a later process that reused the pid. */
  parentOf(info: ProcessInfo): ProcessInfo | undefined {
    const parent = this.get(info.ppid);
    if (!parent || parent.pid === info.pid) return undefined;
    return parent.startTicks <= info.startTicks ? parent : undefined;
  }

  /** Records a process as it is now (seeding from /proc, or after an exec). */
  set(info: ProcessInfo): void {
    this.entries.set(info.pid, { info });
  }

  /**
   * Gives the entry of p's process its image hashes, when the entry is still that process and image (p itself, or a
   * copy of it) and has none: a copy replaces it (ProcessInfo objects are never changed), and an exit stays marked.
   * Returns p with the hashes: the new entry when the entry was p, else a copy of p.
   */
  addHashes(p: ProcessInfo, hashes: ImageHashes): ProcessInfo {
    const e = this.entries.get(p.pid);
    if (e && !e.info.sha1 && e.info.startTicks === p.startTicks && e.info.path === p.path) {
      const wasP = e.info === p;
      e.info = processInfo(e.info, {}, hashes);
      if (wasP) return e.info;
    }
    return processInfo(p, {}, hashes);
  }

  /** A fork: the child runs the parent's image until it execs. Returns the child's entry. */
  fork(parentPid: number, childPid: number, childStartTicks: number, creationTime: string): ProcessInfo | undefined {
    const parent = this.get(parentPid);
    if (!parent) return undefined;
    const child = processInfo(parent, { pid: childPid, ppid: parentPid, startTicks: childStartTicks, creationTime });
    this.set(child);
    return child;
  }

  /** The process with this pid when it has not exited (events arrive in kernel order, so it is this pid's latest). */
  live(pid: number): ProcessInfo | undefined {
    const e = this.entries.get(pid);
    return e && e.exitedAt === undefined ? e.info : undefined;
  }

  /** Marks a process exited; it is forgotten after keepExitedMs. */
  exit(pid: number, nowMs: number): void {
    const e = this.entries.get(pid);
    if (e && e.exitedAt === undefined) {
      e.exitedAt = nowMs;
      this.exits.push({ pid, at: nowMs });
    }
  }

  /** Forgets processes that exited long enough ago, and the oldest exited ones beyond maxEntries. */
  prune(nowMs: number): number {
    let removed = 0;
    while (this.exitsHead < this.exits.length) {
      const x = this.exits[this.exitsHead] as { pid: number; at: number };
      if (nowMs - x.at <= this.options.keepExitedMs && this.entries.size <= this.options.maxEntries) break;
      this.exitsHead++;
      // The pid may have been reused since: only the entry that exited then goes.
      if (this.entries.get(x.pid)?.exitedAt === x.at) {
        this.entries.delete(x.pid);
        removed++;
      }
    }
    if (this.exitsHead > 1024 && this.exitsHead * 2 > this.exits.length) {
      this.exits = this.exits.slice(this.exitsHead);
      this.exitsHead = 0;
    }
    return removed;
  }
}
