import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserNames } from './user-names.js';

describe('UserNames', () => {
  it('names uids from passwd, sees a new user at once and a renamed one after the check interval', async () => {
    const passwd = join(mkdtempSync(join(tmpdir(), 'vigil-users-')), 'passwd');
    writeFileSync(passwd, 'root:x:0:0::/root:/bin/sh\n');
    const users = new UserNames(passwd, 50);
    expect(users.name(0)).toBe('root');
    expect(users.name(1000)).toBe('1000');
    writeFileSync(passwd, 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    utimesSync(passwd, new Date(), new Date(Date.now() + 5000));
    // An unknown uid makes it look again at once.
    expect(users.name(1000)).toBe('alice');
    writeFileSync(passwd, 'admin:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\n');
    utimesSync(passwd, new Date(), new Date(Date.now() + 10_000));
    expect(users.name(0)).toBe('root'); // known uid: the file is checked at most every 50 ms
    await new Promise((r) => setTimeout(r, 60));
    expect(users.name(0)).toBe('admin');
  });
});
