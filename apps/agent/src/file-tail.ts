import { closeSync, type FSWatcher, openSync, readSync, statSync, watch } from 'node:fs';

/** How long after a change the file is read. */
const SOON_MS = 100;

/**
 * Follows a growing file: reads what was appended when inotify says it changed, and starts over when the file is
 * replaced (log rotation: another inode) or truncated. A slow poll (every intervalMs, 5 s) catches what the watch
 * cannot see: a rotated file's successor (the watch follows the old inode), or a file system without inotify. An
 * idle log costs no wake-up but that poll (the agent polled every 500 ms before); a busy one is read at most every
 * SOON_MS.
 */
export class FileTail {
  private offset: number;
  private inode: number;
  private timer: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;
  private soonTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly onData: (chunk: Buffer) => void,
    options: { fromStart?: boolean; intervalMs?: number; recordSize?: number } = {},
  ) {
    const s = statSync(path);
    this.inode = s.ino;
    this.offset = options.fromStart ? 0 : s.size - (options.recordSize ? s.size % options.recordSize : 0);
    this.timer = setInterval(() => this.poll(), options.intervalMs ?? 5000);
    this.watch();
    if (options.fromStart) setImmediate(() => this.poll());
  }

  /** (Re)starts the inotify watch of the path: of the file there now. */
  private watch(): void {
    this.watcher?.close();
    this.watcher = undefined;
    try {
      const w = watch(this.path, { persistent: false }, () => this.soon());
      w.on('error', () => w.close());
      this.watcher = w;
    } catch {
      // no inotify here (or the file is gone for now): the poll alone
    }
  }

  /** A change was seen: read it shortly (one read for the writes of a busy log's burst, not one each). */
  private soon(): void {
    this.soonTimer ??= setTimeout(() => {
      this.soonTimer = undefined;
      this.poll();
    }, SOON_MS);
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
      if (s.ino !== this.inode) this.watch();
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
    this.watcher?.close();
    clearTimeout(this.soonTimer);
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
