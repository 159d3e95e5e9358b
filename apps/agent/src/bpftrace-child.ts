import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** Options of one bpftrace program run by a sensor. */
export interface BpftraceChildOptions {
  /** For log lines: "network", "file". */
  readonly name: string;
  readonly program: string;
  /** BPFTRACE_STRLEN (default 200). */
  readonly strlen?: number;
  /** BPFTRACE_MAP_KEYS_MAX (bpftrace's default is 4096). */
  readonly mapKeysMax?: number;
  /** Called for every line of stdout (`-f json`). */
  readonly onLine: (line: string) => void;
  /** True when a parsed line is the attached_probes message. */
  readonly isAttached: (line: string) => boolean;
  readonly log: (line: string) => void;
}

/** A line longer than this (bpftrace's are a few hundred bytes) is cut there rather than buffered without end. */
const MAX_LINE = 1024 * 1024;

/** Calls onLine for each line of a text stream (a plain split: readline costs more per line, and lines are many). */
export function eachLine(input: Readable, onLine: (line: string) => void): void {
  let rest = '';
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    const text = rest.length > 0 ? rest + chunk : chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_LINE) {
      onLine(rest);
      rest = '';
    }
  });
  input.on('end', () => {
    if (rest.length > 0) onLine(rest);
    rest = '';
  });
}

/**
 * A bpftrace child process: started with `-f json`, ready once its probes are attached, restarted (after a
 * second) if it dies under a running agent.
 */
export class BpftraceChild {
  private child: ChildProcess | undefined;
  private stopping = false;
  lines = 0;
  restarts = 0;
  readonly ordered = false;

  constructor(private readonly o: BpftraceChildOptions) {}

  /** Starts bpftrace; resolves once the probes are attached, rejects when they cannot be. */
  start(timeoutMs = 30_000): Promise<void> {
    const o = this.o;
    const child = spawn('bpftrace', ['-f', 'json', '-e', o.program], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPFTRACE_STRLEN: String(o.strlen ?? 200),
        ...(o.mapKeysMax ? { BPFTRACE_MAP_KEYS_MAX: String(o.mapKeysMax) } : {}),
      },
    });
    this.child = child;
    let stderr = '';
    let attached = false;
    child.stderr?.on('data', (b: Buffer) => {
      const text = b
        .toString()
        .split('\n')
        .filter((l) => !l.includes('RLIMIT_MEMLOCK'))
        .join('\n');
      stderr = (stderr + text).slice(-4000);
    });
    return new Promise((resolve, reject) => {
      const why = (what: string) => `${what}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`;
      const t = setTimeout(() => {
        reject(new Error(why(`bpftrace (${o.name}) did not attach its probes in time`)));
        child.kill('SIGKILL');
      }, timeoutMs);
      child.on('error', (e) => reject(new Error(why(String(e)))));
      child.on('exit', (code) => {
        clearTimeout(t);
        if (!attached) return reject(new Error(why(`bpftrace (${o.name}) exited with ${code}`)));
        if (this.stopping) return;
        this.restarts++;
        o.log(why(`bpftrace (${o.name}) exited with ${code}; restarting it`));
        setTimeout(() => {
          if (!this.stopping) this.start(timeoutMs).catch((e: unknown) => o.log(String(e)));
        }, 1000);
      });
      eachLine(child.stdout as Readable, (line) => {
        this.lines++;
        if (!attached && o.isAttached(line)) {
          attached = true;
          clearTimeout(t);
          resolve();
          return;
        }
        o.onLine(line);
      });
    });
  }

  /** Stops bpftrace (SIGINT, then SIGKILL after 3 s). */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }
}
