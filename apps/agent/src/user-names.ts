import { readFileSync, statSync } from 'node:fs';

/** uid → user name from /etc/passwd, reloaded when the file changes. */
export class UserNames {
  private names = new Map<number, string>();
  private mtime = -1;

  constructor(private readonly passwd = '/etc/passwd') {}

  /** The name of a uid, or its number as text when it has none. */
  name(uid: number): string {
    this.reload();
    return this.names.get(uid) ?? String(uid);
  }

  private reload(): void {
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
