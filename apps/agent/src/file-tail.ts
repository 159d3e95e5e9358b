import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * Follows a growing file by polling: reads what was appended, and starts over when the file is replaced
 * (log rotation: another inode) or truncated.
 */
export class FileTail {
  private offset: number;
  private inode: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly onData: (chunk: Buffer) => void,
    options: { fromStart?: boolean; intervalMs?: number; recordSize?: number } = {},
  ) {
    const s = statSync(path);
    this.inode = s.ino;
    this.offset = options.fromStart ? 0 : s.size - (options.recordSize ? s.size % options.recordSize : 0);
    this.timer = setInterval(() => this.poll(), options.intervalMs ?? 500);
    if (options.fromStart) setImmediate(() => this.poll());
  }

  /** Reads anything new now. */
  poll(): void {
    let s: ReturnType<typeof statSync>;
    try {
      s = statSync(this.path);
    } catch {
      return;
    }
    if (s.ino !== this.inode || s.size < this.offset) {
      this.inode = s.ino;
      this.offset = 0;
    }
    if (s.size <= this.offset) return;
    const fd = openSync(this.path, 'r');
    try {
      const buf = Buffer.alloc(Math.min(Number(s.size) - this.offset, 16 * 1024 * 1024));
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      this.onData(buf.subarray(0, n));
    } finally {
      closeSync(fd);
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

/** Splits a byte stream into lines, holding back a partial last line. */
export function lineSplitter(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const text = rest + chunk.toString('utf8');
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const l of lines) if (l.length > 0) onLine(l);
  };
}
