import { readFileSync, statSync } from 'node:fs';

/** uid → user name from /etc/passwd, reloaded when the file changes (checked at most every `checkMs`). */
export class UserNames {
  private names = new Map<number, string>();
  private mtime = -1;
  private checkedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly passwd = '/etc/passwd',
    private readonly checkMs = 1000,
  ) {}

  /** The name of a uid, or its number as text when it has none. */
  name(uid: number): string {
    this.reload(!this.names.has(uid));
    return this.names.get(uid) ?? String(uid);
  }

  private reload(unknownUid: boolean): void {
    const now = performance.now();
    // A uid unknown to the names read may be a user just added: then the file is checked at once.
    if (!unknownUid && now - this.checkedAt < this.checkMs) return;
    this.checkedAt = now;
    try {
      const m = statSync(this.passwd).mtimeMs;
      if (m === this.mtime) return;
      this.mtime = m;
      const names = new Map<number, string>();
      for (const line of readFileSync(this.passwd, 'utf8').split('\n')) {
        const f = line.split(':');
        if (f.length >= 3 && f[0]) names.set(Number(f[2]), f[0]);
      }
      this.names = names;
    } catch {
      // No passwd file: uids stay numbers.
    }
  }
}
