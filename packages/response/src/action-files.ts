import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { VigilError } from '@vigil/base';
import type { ActionFile } from './machine-action.js';

const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** Files agents upload for actions (investigation packages, GetFile results), under DIR/<actionId>/<name>. */
export class ActionFiles {
  constructor(
    private readonly dir: string,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private path(actionId: string, name: string): string {
    if (!NAME.test(actionId) || !NAME.test(name) || name.startsWith('.')) {
      throw new VigilError('ACTION_BAD_FILE_NAME', `"${name}" is not a valid file name for action ${actionId}`);
    }
    return join(this.dir, actionId, name);
  }

  /** Streams a body to disk (at most maxBytes), hashing it on the way; replaces a previous upload of that name. */
  async write(actionId: string, name: string, body: Readable, maxBytes: number): Promise<ActionFile> {
    const file = this.path(actionId, name);
    mkdirSync(join(this.dir, actionId), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.part`;
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new VigilError('ACTION_FILE_TOO_LARGE', `the upload is larger than ${maxBytes} bytes`, { status: 413 }));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(body, meter, createWriteStream(tmp, { mode: 0o600 }));
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    renameSync(tmp, file);
    return { name, size, sha256: hash.digest('hex'), uploadedAt: this.clock().toISOString() };
  }

  /** A stream of a stored file, with its size; undefined when there is none. */
  read(actionId: string, name: string): { stream: Readable; size: number } | undefined {
    const file = this.path(actionId, name);
    if (!existsSync(file)) return undefined;
    return { stream: createReadStream(file), size: statSync(file).size };
  }
}
