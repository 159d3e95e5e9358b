import { existsSync, realpathSync } from 'node:fs';
import {
  type BootClock,
  baseName,
  type FileIdentity,
  type LeafProcess,
  type ProcessEventNotes,
  type ProcessInfo,
  type ProcessTree,
  processUniqueId,
} from '@vigil/sensors';
import { BoundedMap } from './bounded-map.js';
import type { FileHasher, FileHashes } from './file-hasher.js';
import { argvToCommandLine, listPids, readProcess } from './proc-fs.js';
import type { Telemetry } from './telemetry.js';
import type { UserNames } from './user-names.js';

/**
 * A process start as a source saw it; what /proc told at the moment the event arrived is included. The eBPF source
 * sets every field (undefined when unknown), so that its observations have one shape.
 */
export interface ExecObservation {
  readonly pid: number;
  /** The creator: from a fork event or the kernel's record (may be a reaper when the creator is gone). */
  readonly ppid: number;
  readonly uid: number;
  readonly startTicks?: number;
  /** /proc/PID/cmdline read on arrival, when the process was still there. */
  readonly procCommandLine?: string | undefined;
  /** /proc/PID/exe read on arrival. */
  readonly procExe?: string | undefined;
  /** The path given to execve. */
  readonly filename?: string;
  /** The image's file name as the kernel knows it. */
  readonly imageName?: string | undefined;
  /** Arguments captured by the kernel event (possibly cut short). */
  readonly argv?: readonly string[] | undefined;
  readonly argvTruncated?: boolean | undefined;
  /** Wall-clock time of the event in ms, when the source knows it. */
  readonly timeMs?: number;
  /** The image file's identity from the kernel (vigil-collector): its hashes are found without a stat. */
  readonly image?: FileIdentity | undefined;
}

const BIN_DIRS = ['/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/bin', '/sbin'];

/** execve paths already resolved (a loop runs `/bin/true` thousands of times): path → real path. */
const realPaths = new BoundedMap<string, string>(4096);

/**
 * The real path of an execve path. A cached answer is used only when its file name is the image name the kernel
 * gave (a symlink pointed elsewhere since then resolves again).
 */
function realPath(path: string, imageName: string | undefined): string {
  const cached = realPaths.get(path);
  if (cached !== undefined && imageName !== undefined && baseName(cached) === imageName) return cached;
  const real = realpathSync.native(path);
  realPaths.set(path, real);
  return real;
}

/** The best full path of a new image from what the event and /proc told. */
export function resolveImagePath(o: ExecObservation): string {
  if (o.procExe && !o.procExe.endsWith(' (deleted)')) return o.procExe;
  const name = o.imageName;
  if (o.filename?.startsWith('/')) {
    try {
      const real = realPath(o.filename, name);
      if (!name || baseName(real) === name) return real;
    } catch {
      if (!name || baseName(o.filename) === name) return o.filename;
    }
  }
  if (name) {
    for (const dir of BIN_DIRS) {
      try {
        if (existsSync(`${dir}/${name}`)) return realpathSync(`${dir}/${name}`);
      } catch {
        // gone since existsSync, or a symlink loop: the next folder
      }
    }
  }
  return o.procExe ?? o.filename ?? '';
}

/** Counters of the process sensor. */
export interface ProcessSensorStats {
  execs: number;
  forks: number;
  exits: number;
  cmdlineFromProc: number;
  cmdlineFromEvent: number;
  unknownParent: number;
  /** Rows of leaf processes made by vigil-collector (--process-rows; each counts an exec and an exit too). */
  leafRows: number;
}

/** Turns process starts into DeviceProcessEvents rows, keeping the process tree for lineage. */
export class ProcessSensor {
  readonly stats: ProcessSensorStats = {
    execs: 0,
    forks: 0,
    exits: 0,
    cmdlineFromProc: 0,
    cmdlineFromEvent: 0,
    unknownParent: 0,
    leafRows: 0,
  };
  private readonly inFlight = new Set<Promise<void>>();
  /** Processes whose image is being hashed (see withHashes). */
  private readonly hashing = new WeakMap<ProcessInfo, Promise<ProcessInfo>>();
  /** The notes of rows, one object per kind (additionalFields keeps their JSON). */
  private readonly notes: Readonly<Record<'proc' | 'event' | 'eventTruncated', ProcessEventNotes>>;

  constructor(
    readonly source: string,
    private readonly tree: ProcessTree,
    private readonly clock: BootClock,
    private readonly users: UserNames,
    private readonly hasher: FileHasher,
    private readonly telemetry: Telemetry,
  ) {
    this.notes = {
      proc: { source, commandLineFrom: 'proc' },
      event: { source, commandLineFrom: 'event' },
      eventTruncated: { source, commandLineFrom: 'event', commandLineTruncated: true },
    };
  }

  /** Fills the tree with the processes running now. */
  seed(): number {
    let n = 0;
    for (const pid of listPids()) {
      const p = readProcess(pid, this.clock, this.users);
      if (p) {
        this.tree.set(p);
        n++;
      }
    }
    return n;
  }

  /** A new process that runs its parent's image until it execs. */
  onFork(ppid: number, pid: number, startTicks: number): void {
    this.stats.forks++;
    if (!this.tree.get(ppid)) this.learn(ppid);
    if (!this.tree.fork(ppid, pid, startTicks, this.clock.isoFromTicks(startTicks))) this.learn(pid);
  }

  /** A process ended. */
  onExit(pid: number, nowMs = Date.now()): void {
    this.stats.exits++;
    this.tree.exit(pid, nowMs);
  }

  /**
   * The parent `ppid` of a process started at `startTicks`: the tree's, else (missing, or a later process with the same
   * pid) the one /proc has now; counted when neither knows it.
   */
  private parentAt(ppid: number, startTicks: number): ProcessInfo | undefined {
    let parent = this.tree.get(ppid);
    if (!parent || parent.startTicks > startTicks) parent = this.learn(ppid);
    if (!parent) this.stats.unknownParent++;
    return parent;
  }

  private learn(pid: number): ProcessInfo | undefined {
    const p = readProcess(pid, this.clock, this.users);
    if (p) this.tree.set(p);
    return p;
  }

  /** A process start: updates the tree now (in event order) and emits its row once hashes are known. */
  onExec(o: ExecObservation): void {
    this.stats.execs++;
    const forked = this.tree.live(o.pid);
    const ppid = forked && forked.ppid > 0 ? forked.ppid : o.ppid;
    const startTicks = o.startTicks ?? forked?.startTicks ?? this.clock.ticksAt(o.timeMs ?? Date.now());
    let commandLine = o.procCommandLine;
    if (commandLine !== undefined) this.stats.cmdlineFromProc++;
    else {
      this.stats.cmdlineFromEvent++;
      commandLine = o.argv ? argvToCommandLine(o.argv) : '';
    }
    const path = resolveImagePath(o);
    // Hashed first when the hasher knows the image (the usual case), so the process is built once with them.
    const hashes = path ? (o.image ? this.hasher.hashImage(path, o.image) : this.hasher.hashNow(path)) : undefined;
    const known = hashes instanceof Promise ? undefined : hashes;
    const info: ProcessInfo = {
      pid: o.pid,
      ppid,
      startTicks,
      creationTime: this.clock.isoFromTicks(startTicks),
      path,
      commandLine,
      uid: o.uid,
      accountName: this.users.name(o.uid),
      fileSize: known?.fileSize,
      sha1: known?.sha1,
      sha256: known?.sha256,
      md5: known?.md5,
    };
    const parent = this.parentAt(ppid, startTicks);
    const grandparent = parent ? this.tree.parentOf(parent) : undefined;
    this.tree.set(info);
    const notes =
      o.procCommandLine !== undefined
        ? this.notes.proc
        : o.argvTruncated
          ? this.notes.eventTruncated
          : this.notes.event;
    const proc = hashes instanceof Promise ? hashes.then((h) => this.hashed(info, h)) : info;
    this.whenHashed(proc, parent, (p, par) => {
      const time = o.timeMs !== undefined ? this.telemetry.at(o.timeMs) : this.telemetry.now();
      this.telemetry.emitProcessRow(time, p, par, grandparent, notes);
    });
  }

  /**
   * A leaf process whose row vigil-collector made (--process-rows): its exec and exit, with nothing of it between.
   * Its parent is found as onExec finds it, and its row completed with the parent's columns; the process itself
   * never enters the tree (no later event can name it).
   */
  onLeaf(l: LeafProcess): void {
    this.stats.leafRows++;
    this.stats.execs++;
    this.stats.exits++;
    this.stats.cmdlineFromEvent++;
    const forked = this.tree.live(l.pid);
    const ppid = forked && forked.ppid > 0 ? forked.ppid : l.ppid;
    const startTicks = this.clock.ticksFromNs(l.startNs);
    const parent = this.parentAt(ppid, startTicks);
    // A fork seen in an earlier round made an entry: it ends here.
    if (forked) this.tree.exit(l.pid, l.timeMs);
    const grandparent = parent ? this.tree.parentOf(parent) : undefined;
    const leaf = {
      uid: l.uid,
      members: l.json,
      creationTime: this.clock.isoFromTicks(startTicks),
      accountName: this.users.name(l.uid),
      uniqueId: processUniqueId({ pid: l.pid, startTicks }),
    };
    this.whenHashed(leaf, parent, (p, par) =>
      this.telemetry.emitLeafRow(this.telemetry.at(l.timeMs), p, par, grandparent, this.notes.event),
    );
  }

  /**
   * A process (a parent) with its image hashes: at once when the hasher knows them, else a promise. While a large
   * image is streamed, the rows of all the children a parent starts meanwhile wait on one promise and get one
   * process: each used to look at the image again (a stat) and get a copy of its own, whose InitiatingProcess*
   * columns and their JSON were then built again for each row.
   */
  private withHashes(p: ProcessInfo): ProcessInfo | Promise<ProcessInfo> {
    if (p.sha1 || !p.path) return p;
    const pending = this.hashing.get(p);
    if (pending !== undefined) return pending;
    const h = this.hasher.hashNow(p.path);
    if (!(h instanceof Promise)) return this.hashed(p, h);
    const later = h.then((v) => this.hashed(p, v));
    this.hashing.set(p, later);
    return later;
  }

  /** The process with its hashes (the tree's entry gets them too, so that its children's rows find them). */
  private hashed(p: ProcessInfo, h: FileHashes | undefined): ProcessInfo {
    return h ? this.tree.addHashes(p, h) : p;
  }

  /** Calls `write` once a process and its parent have their image hashes: at once when they have them. */
  private whenHashed<P>(
    proc: P | Promise<P>,
    parent: ProcessInfo | undefined,
    write: (proc: P, parent: ProcessInfo | undefined) => void,
  ): void {
    const par = parent ? this.withHashes(parent) : undefined;
    if (!(proc instanceof Promise) && !(par instanceof Promise)) {
      write(proc, par);
      return;
    }
    const p = Promise.all([proc, par])
      .then(([a, b]) => write(a, b))
      .finally(() => this.inFlight.delete(p));
    this.inFlight.add(p);
  }

  /** Waits for rows still waiting for hashes. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }
}
