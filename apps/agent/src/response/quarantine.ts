import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** What the quarantine keeps beside each file. */
export interface QuarantineRecord {
  readonly sha256: string;
  readonly sha1: string;
  readonly originalPath: string;
  readonly size: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly quarantinedAt: string;
  readonly actionId: string;
  /** Processes running the file that were killed first. */
  readonly killed: readonly number[];
}

async function hashes(path: string): Promise<{ sha256: string; sha1: string }> {
  const a = createHash('sha256');
  const b = createHash('sha1');
  for await (const chunk of createReadStream(path)) {
    a.update(chunk as Buffer);
    b.update(chunk as Buffer);
  }
  return { sha256: a.digest('hex'), sha1: b.digest('hex') };
}

/** Pids whose executable is `path`. */
function runningImages(path: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${name}/exe`) === path) out.push(Number(name));
    } catch {
      // gone, or a kernel thread
    }
  }
  return out;
}

/**
 * The protected store: DATA/quarantine/<sha256>/{file, record.json}, readable by root only, file mode 000.
 * A file is moved in (copied and removed when it is on another file system) and can be moved back.
 */
export class Quarantine {
  constructor(private readonly dir: string) {}

  /** Stops processes running the file, moves it into the store, and returns the record. */
  async add(path: string, actionId: string, expect: { sha256?: string; sha1?: string }): Promise<QuarantineRecord> {
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) throw new Error(`${path} does not exist`);
    if (!st.isFile()) throw new Error(`${path} is not a regular file`);
    const h = await hashes(path);
    if (expect.sha256 && expect.sha256 !== h.sha256) {
      throw new Error(`${path} has SHA-256 ${h.sha256}, not ${expect.sha256}: nothing was quarantined`);
    }
    if (expect.sha1 && expect.sha1 !== h.sha1) {
      throw new Error(`${path} has SHA-1 ${h.sha1}, not ${expect.sha1}: nothing was quarantined`);
    }
    const killed = runningImages(path);
    for (const pid of killed) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const slot = join(this.dir, h.sha256);
    mkdirSync(slot, { recursive: true, mode: 0o700 });
    chmodSync(this.dir, 0o700);
    const stored = join(slot, 'file');
    move(path, stored);
    chmodSync(stored, 0o000);
    const record: QuarantineRecord = {
      ...h,
      originalPath: path,
      size: st.size,
      mode: st.mode & 0o7777,
      uid: st.uid,
      gid: st.gid,
      quarantinedAt: new Date().toISOString(),
      actionId,
      killed,
    };
    writeFileSync(join(slot, 'record.json'), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    return record;
  }

  /** Moves a quarantined file back to where it was, with its mode; refuses to overwrite a file there now. */
  restore(sha256: string): QuarantineRecord {
    const slot = join(this.dir, sha256);
    const recordFile = join(slot, 'record.json');
    if (!/^[0-9a-f]{64}$/.test(sha256) || !existsSync(recordFile)) {
      throw new Error(`no quarantined file has SHA-256 ${sha256}`);
    }
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as QuarantineRecord;
    if (existsSync(record.originalPath)) {
      throw new Error(`${record.originalPath} exists again; move it away before restoring`);
    }
    mkdirSync(dirname(record.originalPath), { recursive: true });
    move(join(slot, 'file'), record.originalPath);
    chmodSync(record.originalPath, record.mode);
    rmSync(slot, { recursive: true, force: true });
    return record;
  }

  /** The records of what is quarantined now. */
  list(): QuarantineRecord[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .filter((n) => existsSync(join(this.dir, n, 'record.json')))
      .map((n) => JSON.parse(readFileSync(join(this.dir, n, 'record.json'), 'utf8')) as QuarantineRecord);
  }
}

function move(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    if (statSync(to).size !== statSync(from).size) throw new Error(`copying ${from} to the quarantine failed`);
    unlinkSync(from);
  }
}
