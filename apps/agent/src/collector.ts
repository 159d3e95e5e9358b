import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BpfControl, type BpfProcessEvent, CollectorReader, type NetEvent } from '@vigil/sensors';
import { type FilePartEvent, type PartHub, type SensorParts, SharedPart } from './ebpf-parts.js';
import { Rounds } from './wake-timer.js';

/** The collector's sources (C, built on the endpoint with clang, bpftool and libbpf: see collector/README.md). */
export const COLLECTOR_SOURCE_DIR = fileURLToPath(new URL('../collector/', import.meta.url));
const SOURCES = ['vigil-collector.bpf.c', 'vigil-collector.c', 'settle.c', 'settle.h', 'leaf.c', 'leaf.h', 'build.sh'];
const BINARY = 'vigil-collector';

/** Where a built collector is, or why there is none. */
export type CollectorBuild = { readonly path: string } | { readonly why: string };

/** True when this machine can build the collector (clang, bpftool, libbpf's headers, a C compiler, kernel BTF). */
export function canBuildCollector(): boolean {
  const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  return (
    has('clang') &&
    has('bpftool') &&
    has('cc') &&
    existsSync('/usr/include/bpf/libbpf.h') &&
    existsSync('/sys/kernel/btf/vmlinux')
  );
}

/** A binary root runs must not be writable by anyone else. */
function safeToRun(path: string): boolean {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st?.isFile()) return false;
  if (process.getuid?.() !== 0) return true;
  return st.uid === 0 && (st.mode & 0o022) === 0;
}

function run(cmd: string, args: string[], timeoutMs: number): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const take = (b: Buffer) => {
      output = (output + b.toString()).slice(-4000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, output: String(e) });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * Builds vigil-collector once per version of its sources into the first folder that can be written (`build/` in
 * the collector's own folder, else `collector/` in the agent's data directory), and returns its path. Parallel
 * agents build apart and the first finished build is kept.
 */
export async function buildCollector(dataDir: string, log: (line: string) => void): Promise<CollectorBuild> {
  const hash = createHash('sha256');
  for (const f of SOURCES) {
    const path = join(COLLECTOR_SOURCE_DIR, f);
    if (!existsSync(path)) return { why: `its source ${path} is missing` };
    hash.update(readFileSync(path));
  }
  const version = hash.digest('hex').slice(0, 16);
  let why = '';
  for (const cache of [join(COLLECTOR_SOURCE_DIR, 'build'), join(dataDir, 'collector')]) {
    const dir = join(cache, version);
    const built = join(dir, BINARY);
    if (existsSync(built)) {
      if (safeToRun(built)) return { path: built };
      why = `${built} is writable by other users than root`;
      continue;
    }
    const tmp = `${dir}.tmp-${process.pid}`;
    try {
      mkdirSync(tmp, { recursive: true, mode: 0o755 });
    } catch (e) {
      why = `cannot write ${cache}: ${e instanceof Error ? e.message : String(e)}`;
      continue;
    }
    const started = Date.now();
    const r = await run('bash', [join(COLLECTOR_SOURCE_DIR, 'build.sh'), tmp], 180_000);
    if (r.code !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      return { why: `its build failed (${r.output.trim().split('\n').slice(-3).join(' | ')})` };
    }
    try {
      // Whatever the umask, only the owner may change what root will run.
      chmodSync(join(tmp, BINARY), 0o755);
      chmodSync(tmp, 0o755);
      renameSync(tmp, dir);
      log(`vigil-collector built in ${((Date.now() - started) / 1000).toFixed(1)} s: ${built}`);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another agent finished first
    }
    if (safeToRun(built)) return { path: built };
    why = `${built} was not built`;
  }
  return { why };
}

/**
 * What a built collector can do (`vigil-collector --features`): `hash` (its settle looks hash files, through OpenSSL's
 * libcrypto), `file-rows` (it makes the file sensor's rows itself) and `process-rows` (the rows of short-lived leaf
 * processes). Empty when it cannot say.
 */
export function collectorFeatures(binary: string): ReadonlySet<string> {
  const r = spawnSync(binary, ['--features'], { encoding: 'utf8', timeout: 10_000 });
  return new Set(r.status === 0 ? r.stdout.split(/\s+/).filter((w) => w !== '') : []);
}

/**
 * How long vigil-collector waits between drains of its ring (its --poll-ms): each round wakes the agent. A burst that
 * fills a sixteenth of the ring, and a record the agent completes from /proc while its process lives, are written at
 * once whatever this is. Rounds of 200 ms with DRAIN_MS: see there.
 */
export const COLLECTOR_POLL_MS = 200;

/** The rounds the agent's timers line up with (see Rounds): a slack of half a collector round. */
export function collectorRounds(): Rounds {
  return new Rounds(COLLECTOR_POLL_MS / 2);
}

/** Which sensors the collector serves. */
export interface CollectorOptions {
  readonly process: boolean;
  /**
   * The collector makes the rows of short-lived leaf processes itself (--process-rows; see collector/README.md,
   * "Process rows"): their own columns, which the agent completes with the parent's.
   */
  readonly processRows?: boolean;
  readonly network: boolean;
  /**
   * Watched prefixes (ending in '/'), the fold window of rewrites, the settle time of writes and the extensions of
   * scripts, when the file sensor runs: the collector looks at written paths itself and hashes executables and
   * scripts (--settle-ms, --script-ext; FileLook events).
   */
  readonly file?: {
    readonly prefixes: readonly string[];
    readonly foldNs: number;
    readonly settleMs: number;
    readonly scriptExtensions: readonly string[];
    /**
     * The collector makes the file rows itself (--file-rows; see collector/README.md, "File rows"): it resolves,
     * settles, hashes and writes each row's file columns, and the agent adds the writer's.
     */
    readonly rows: boolean;
  };
}

/**
 * vigil-collector as the shared eBPF source of the process, file and network sensors: one child process that
 * writes binary records (see @vigil/sensors CollectorReader). Ready once its programs are attached; restarted
 * (after a second) when it dies under a running agent, or when its output goes out of step.
 */
export class CollectorHub implements PartHub {
  restarts = 0;
  readonly ordered = true;
  readonly looks: boolean;
  private child: ChildProcess | undefined;
  private stopping = false;
  private lostSoFar = 0;
  private readonly parts: {
    process?: SharedPart<BpfProcessEvent>;
    network?: SharedPart<NetEvent | BpfControl>;
    file?: SharedPart<FilePartEvent>;
  } = {};

  constructor(
    private readonly binary: string,
    private readonly o: CollectorOptions,
    private readonly log: (line: string) => void,
    private readonly rounds?: Rounds,
  ) {
    if (o.process) this.parts.process = new SharedPart('process', this);
    if (o.network) this.parts.network = new SharedPart('network', this);
    if (o.file) this.parts.file = new SharedPart('file', this);
    this.looks = o.file !== undefined;
  }

  private args(): string[] {
    const a = ['--exclude-pid', String(process.pid), '--poll-ms', String(COLLECTOR_POLL_MS)];
    if (!this.o.process) a.push('--no-process');
    else if (this.o.processRows) a.push('--process-rows');
    if (!this.o.network) a.push('--no-network');
    if (this.o.file) {
      a.push('--fold-ns', String(Math.trunc(this.o.file.foldNs)));
      a.push('--settle-ms', String(Math.trunc(this.o.file.settleMs)));
      a.push('--script-ext', this.o.file.scriptExtensions.join(','));
      if (this.o.file.rows) a.push('--file-rows');
      for (const p of this.o.file.prefixes) a.push('--watch', p);
    } else a.push('--no-file');
    return a;
  }

  /** Starts the collector; resolves with the sensors' parts once its programs are attached. */
  async start(timeoutMs = 30_000): Promise<SensorParts> {
    await this.spawn(timeoutMs);
    return { via: 'vigil-collector', ...this.parts };
  }

  private spawn(timeoutMs: number): Promise<void> {
    const child = spawn(this.binary, this.args(), { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (b: Buffer) => {
      stderr = (stderr + b.toString()).slice(-4000);
    });
    const why = (what: string) => `${what}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
    const { process: proc, network, file } = this.parts;
    let attached = false;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(why('vigil-collector did not attach its programs in time')));
        child.kill('SIGKILL');
      }, timeoutMs);
      const lost = (events: number) => {
        const control = { kind: 'lost', events } as const;
        proc?.deliver(control);
        network?.deliver(control);
        file?.deliver(control);
      };
      const reader = new CollectorReader({
        process: (e) => proc?.deliver(e),
        file: (e) => file?.deliver(e),
        look: (l) => file?.deliver(l),
        fileRow: (r) => file?.deliver(r),
        network: (e) => network?.deliver(e),
        attached: () => {
          attached = true;
          if (this.rounds) this.rounds.driven = true;
          clearTimeout(timer);
          resolve();
        },
        lost: (total) => {
          if (total > this.lostSoFar) lost(total - this.lostSoFar);
          this.lostSoFar = total;
        },
        invalid: (what) => {
          this.log(`vigil-collector: ${what}`);
          if (reader.broken) child.kill('SIGKILL'); // restarted below
        },
      });
      // A round of records (or a part of a large one): the timers due about now run in this wake-up (see Rounds).
      child.stdout?.on('data', (b: Buffer) => {
        reader.push(b);
        this.rounds?.tick();
      });
      child.on('error', (e) => reject(new Error(why(String(e)))));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (!attached) return reject(new Error(why(`vigil-collector exited with ${code ?? signal}`)));
        if (this.stopping) return;
        this.restarts++;
        this.lostSoFar = 0;
        this.log(why(`vigil-collector exited with ${code ?? signal}; restarting it`));
        setTimeout(() => {
          if (!this.stopping) this.spawn(timeoutMs).catch((e: unknown) => this.log(String(e)));
        }, 1000);
      });
    });
  }

  /** Stops the collector once every part has stopped. */
  async partStopped(): Promise<void> {
    const parts = [this.parts.process, this.parts.network, this.parts.file];
    if (parts.every((p) => p === undefined || p.stopped)) await this.stop();
  }

  /** Stops the collector (SIGTERM: it writes what it holds; SIGKILL after 3 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const closed = new Promise((r) => child.once('close', r));
    child.kill('SIGTERM');
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
