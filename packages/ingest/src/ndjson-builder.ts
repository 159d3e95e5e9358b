import type { NdjsonRows, Row } from '@vigil/storage';

/** Where a row's bytes come from: a line of the sender's batch, or its own serialization. */
interface Piece {
  /** Byte range of the line in the batch; start is -1 when the row is serialized instead. */
  readonly start: number;
  readonly end: number;
  /** Which device columns the server filled in, put in front of the sender's line. */
  readonly prefix: 0 | 1 | 2 | 3;
  /** The row serialized, when the sender's line is not the row. */
  readonly own?: Buffer;
}

const FILLED_ID = 1;
const FILLED_NAME = 2;

/**
 * Collects the validated rows of a batch per table, and builds each table's NDJSON bytes from the sender's own
 * bytes (copied, never decoded and encoded again) where they are the row, so that the store and detection read
 * it without a second serialization.
 */
export class NdjsonBuilder {
  private readonly pieces = new Map<string, Piece[]>();
  private readonly prefixes: Buffer[];

  constructor(
    private readonly batch: Buffer,
    device: { readonly deviceId: string; readonly deviceName: string } | undefined,
  ) {
    const id = `"DeviceId":${JSON.stringify(device?.deviceId ?? '')}`;
    const name = `"DeviceName":${JSON.stringify(device?.deviceName ?? '')}`;
    this.prefixes = [
      Buffer.from('{'),
      Buffer.from(`{${id},`),
      Buffer.from(`{${name},`),
      Buffer.from(`{${id},${name},`),
    ];
  }

  /** Adds a row; `start` is -1 when the sender's line is not the row (it is serialized instead). */
  add(table: string, row: Row, start: number, end: number, filledId: boolean, filledName: boolean): void {
    let pieces = this.pieces.get(table);
    if (!pieces) {
      pieces = [];
      this.pieces.set(table, pieces);
    }
    pieces.push({
      start,
      end,
      prefix: ((filledId ? FILLED_ID : 0) | (filledName ? FILLED_NAME : 0)) as Piece['prefix'],
      ...(start < 0 ? { own: Buffer.from(JSON.stringify(row)) } : {}),
    });
  }

  /** Each table's rows as NDJSON bytes, one row a line. */
  build(): Map<string, NdjsonRows> {
    const out = new Map<string, NdjsonRows>();
    for (const [table, pieces] of this.pieces) {
      let size = 0;
      for (const p of pieces)
        size += (p.own?.length ?? (this.prefixes[p.prefix] as Buffer).length + p.end - p.start - 1) + 1;
      const bytes = Buffer.allocUnsafeSlow(size);
      let at = 0;
      for (const p of pieces) {
        if (p.own) at += p.own.copy(bytes, at);
        else {
          at += (this.prefixes[p.prefix] as Buffer).copy(bytes, at);
          at += this.batch.copy(bytes, at, p.start + 1, p.end);
        }
        bytes[at++] = 0x0a;
      }
      out.set(table, { ndjson: bytes, rows: pieces.length });
    }
    return out;
  }
}
