import { describe, expect, it } from 'vitest';
import type { BpfProcessEvent } from './bpftrace-events.js';
import {
  type CollectorFileCounters,
  type CollectorFileRow,
  CollectorReader,
  type CollectorSink,
  type CollectorWriter,
  captureRounds,
  encodeCollectorRecord,
} from './collector-records.js';
import type { FileEvent, FileLook } from './file-events.js';
import { ipText } from './ip-text.js';
import type { NetEvent } from './net-file-events.js';

function collect() {
  const got = {
    process: [] as BpfProcessEvent[],
    file: [] as FileEvent[],
    looks: [] as FileLook[],
    rows: [] as (CollectorFileRow | CollectorWriter | CollectorFileCounters)[],
    network: [] as NetEvent[],
    other: [] as string[],
  };
  const sink: CollectorSink = {
    process: (e) => got.process.push(e),
    file: (e) => got.file.push(e),
    look: (l) => got.looks.push(l),
    fileRow: (r) => got.rows.push(r),
    network: (e) => got.network.push(e),
    attached: (n) => got.other.push(`attached ${n}`),
    lost: (n) => got.other.push(`lost ${n}`),
    invalid: (why) => got.other.push(`invalid ${why}`),
  };
  return { got, reader: new CollectorReader(sink) };
}

const exec = encodeCollectorRecord(
  'E',
  1000n,
  4242,
  (b) => {
    b.writeUInt32LE(4000, 20); // real parent
    b.writeUInt32LE(1001, 24); // uid
    b.writeUInt32LE(5000, 28); // argument area: 5000 bytes, 14 copied
    b.writeBigUInt64LE(999n, 32);
    b.writeUInt16LE(9, 40);
    b.writeUInt16LE(4, 42);
    b.writeUInt16LE(Buffer.byteLength('echo\0café\0'), 44);
    b.writeBigUInt64LE(131_077n, 48); // image: inode
    b.writeBigUInt64LE(35_456n, 56); // size
    b.writeBigInt64LE(1_700_000_000n, 64); // mtime
    b.writeUInt32LE(123_456_789, 72);
    b.writeUInt32LE(0xfe01, 76); // st_dev 254:1
    b.writeBigInt64LE(1_700_000_100n, 80); // ctime
    b.writeUInt32LE(987_654_321, 88);
  },
  96,
  '/bin/echoechoecho\0café\0',
);

describe('vigil-collector records', () => {
  it('decodes an exec into one exec event with its image, name and arguments', () => {
    const { got, reader } = collect();
    reader.push(exec);
    expect(got.process).toEqual([
      {
        kind: 'exec',
        ns: 1000n,
        pid: 4242,
        realParent: 4000,
        uid: 1001,
        startNs: 999n,
        filename: '/bin/echo',
        image: {
          dev: 0xfe01,
          ino: 131_077,
          size: 35_456,
          mtimeSec: 1_700_000_000,
          mtimeNsec: 123_456_789,
          ctimeSec: 1_700_000_100,
          ctimeNsec: 987_654_321,
        },
        name: 'echo',
        args: { length: 5000, copied: 11, argv: ['echo', 'café'] },
      },
    ]);
  });

  it('leaves the image identity out when the kernel had no inode, or a number is not exact as a number', () => {
    for (const [off, value] of [
      [48, 0n],
      [48, 2n ** 53n],
      [64, -1n],
      [80, -1n],
    ] as const) {
      const { got, reader } = collect();
      const b = Buffer.from(exec);
      b.writeBigUInt64LE(BigInt.asUintN(64, value), off);
      reader.push(b);
      expect(got.process[0]).toMatchObject({ kind: 'exec', filename: '/bin/echo' });
      expect((got.process[0] as { image?: unknown }).image).toBeUndefined();
    }
  });

  it('decodes forks, exits, file and network records, and control records', () => {
    const { got, reader } = collect();
    const fork = encodeCollectorRecord(
      'F',
      500n,
      10,
      (b) => {
        b.writeUInt32LE(11, 20);
        b.writeBigUInt64LE(700n, 24);
      },
      32,
    );
    const exit = encodeCollectorRecord('X', 600n, 11, () => undefined, 24);
    const caller = (b: Buffer) => {
      b.writeUInt32LE(3, 20);
      b.writeBigUInt64LE(77n, 24);
      b.writeInt32LE(-100, 32);
    };
    const open = encodeCollectorRecord(
      'o',
      800n,
      12,
      (b) => {
        caller(b);
        b.writeUInt32LE(0x241, 36);
        b.writeBigUInt64LE(123456n, 40);
        b[48] = 1;
        b.writeUInt16LE(9, 50);
      },
      52,
      '/tmp/a.sh',
    );
    const unlink = encodeCollectorRecord(
      'd',
      801n,
      12,
      (b) => {
        caller(b);
        b.writeUInt16LE(5, 36);
      },
      40,
      'a.txt',
    );
    const rename = encodeCollectorRecord(
      'r',
      802n,
      12,
      (b) => {
        caller(b);
        b.writeInt32LE(5, 36);
        b.writeUInt16LE(1, 40);
        b.writeUInt16LE(1, 42);
      },
      44,
      'xy',
    );
    const net = (kind: string, family: number, proto: number, state: number, local: number[], remote: number[]) =>
      encodeCollectorRecord(
        kind,
        900n,
        13,
        (b) => {
          b[20] = family;
          b[21] = proto;
          b[22] = state;
          b.writeUInt16LE(40000, 24);
          b.writeUInt16LE(443, 26);
          Buffer.from(local).copy(b, 32);
          Buffer.from(remote).copy(b, 48);
        },
        64,
      );
    const v6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
    const attached = encodeCollectorRecord('A', 0n, 0, (b) => b.writeUInt32LE(17, 20), 24);
    const lost = encodeCollectorRecord('Z', 0n, 0, (b) => b.writeBigUInt64LE(5n, 24), 32);
    const all = Buffer.concat([
      attached,
      fork,
      exit,
      open,
      unlink,
      rename,
      net('C', 2, 6, 1, [10, 0, 0, 1], [93, 184, 216, 34]),
      net('C', 2, 6, 7, [10, 0, 0, 1], [10, 0, 0, 2]),
      net('I', 10, 6, 0, v6, [...Array(10).fill(0), 0xff, 0xff, 192, 168, 1, 9]),
      net('U', 2, 17, 0, [127, 0, 0, 1], [127, 0, 0, 53]),
      net('L', 2, 6, 10, [0, 0, 0, 0], [0, 0, 0, 0]),
      lost,
    ]);
    // Every split point: records cut across chunks are put back together.
    for (const cut of [1, 23, 24, 31, 100, all.length - 1]) {
      const { got: g, reader: r } = collect();
      r.push(all.subarray(0, cut));
      r.push(all.subarray(cut));
      expect(r.records).toBe(12);
      expect(g.file.length + g.network.length + g.process.length).toBe(10);
    }
    reader.push(all);
    expect(got.other).toEqual(['attached 17', 'lost 5']);
    expect(got.process).toEqual([
      { kind: 'fork', ns: 500n, ppid: 10, pid: 11, bootOffsetNs: 200n },
      { kind: 'exit', ns: 600n, pid: 11 },
    ]);
    const c = { ns: 800n, pid: 12, execId: 3, startNs: 77n };
    const none = { flags: 0, created: false, ino: 0, newDfd: -100, newPath: '' };
    expect(got.file).toEqual([
      { kind: 'open', ...c, ...none, dfd: -100, flags: 0x241, ino: 123456, created: true, path: '/tmp/a.sh' },
      { kind: 'unlink', ...c, ...none, ns: 801n, dfd: -100, path: 'a.txt' },
      { kind: 'rename', ...c, ...none, ns: 802n, dfd: -100, path: 'x', newDfd: 5, newPath: 'y' },
    ]);
    // One shape for every kind: the same keys in the same order.
    expect(new Set(got.file.map((e) => Object.keys(e).join()))).toHaveLength(1);
    expect(
      got.network.map((n) => [n.actionType, n.protocol, n.localIp, n.localPort, n.remoteIp, n.remotePort]),
    ).toEqual([
      ['ConnectionSuccess', 'Tcp', '10.0.0.1', 40000, '93.184.216.34', 443],
      ['ConnectionFailed', 'Tcp', '10.0.0.1', 40000, '10.0.0.2', 443],
      ['InboundConnectionAccepted', 'Tcp', '2001:db8::1', 40000, '192.168.1.9', 443],
      ['ConnectionSuccess', 'Udp', '127.0.0.1', 40000, '127.0.0.53', 443],
      ['ListeningConnectionCreated', 'Tcp', '0.0.0.0', 40000, '0.0.0.0', 443],
    ]);
  });

  it("decodes the settle looks' records: a file with its stat and hashes, one left to the agent, a gone one, a quiet one", () => {
    const { got, reader } = collect();
    const sha1 = Buffer.alloc(20, 0xa1);
    const sha256 = Buffer.alloc(32, 0xb2);
    const md5 = Buffer.alloc(16, 0xc3);
    const look = (what: number, flags: number, path: string, size = 0n) =>
      encodeCollectorRecord(
        'S',
        900n,
        77,
        (b) => {
          b.writeUInt32LE(what, 20);
          b.writeUInt32LE(flags, 24);
          b.writeUInt16LE(Buffer.byteLength(path), 28);
          b.writeBigUInt64LE(size, 32);
          b.writeBigInt64LE(1_700_000_000n, 40);
          b.writeUInt32LE(123_456_789, 48);
          sha1.copy(b, 56);
          sha256.copy(b, 76);
          md5.copy(b, 108);
        },
        124,
        path,
      );
    reader.push(
      Buffer.concat([
        look(1, 1 | 2 | 4, '/tmp/é.sh', 18n),
        look(2, 1 | 8, '/tmp/big.bin', 5_000_000n),
        look(1, 1, '/tmp/a.txt', 5n),
        look(1, 0, '/tmp/gone'),
        encodeCollectorRecord('Q', 901n, 77, (b) => b.writeUInt16LE(6, 24), 28, '/tmp/q'),
      ]),
    );
    // mtimeMs as Node's Stats computes it, so that the agent can compare it with a stat of its own.
    const mtimeMs = 1_700_000_000 * 1e3 + 123_456_789 / 1e6;
    expect(got.looks).toEqual([
      {
        kind: 'look',
        ns: 900n,
        what: 'settled',
        path: '/tmp/é.sh',
        file: {
          mtimeMs,
          size: 18,
          hashes: { sha1: 'a1'.repeat(20), sha256: 'b2'.repeat(32), md5: 'c3'.repeat(16), fileSize: 18 },
          hashable: true,
        },
      },
      {
        kind: 'look',
        ns: 900n,
        what: 'changed',
        path: '/tmp/big.bin',
        file: { mtimeMs, size: 5_000_000, hashes: undefined, hashable: undefined },
      },
      {
        kind: 'look',
        ns: 900n,
        what: 'settled',
        path: '/tmp/a.txt',
        file: { mtimeMs, size: 5, hashes: undefined, hashable: false },
      },
      { kind: 'look', ns: 900n, what: 'settled', path: '/tmp/gone', file: undefined },
      { kind: 'look', ns: 901n, what: 'quiet', path: '/tmp/q', file: undefined },
    ]);
    expect(got.other).toEqual([]);
  });

  it("decodes the file rows' records (--file-rows): a writer named first, a row with its JSON, a short one refused, counters", () => {
    const { got, reader } = collect();
    const json = '"ActionType":"FileDeleted","FileName":"é","FolderPath":"/tmp/é","RequestProtocol":"Local"';
    const caller = (b: Buffer) => {
      b.writeUInt32LE(3, 20); // exec count
      b.writeBigUInt64LE(123_456_789_000n, 24);
    };
    const row = (bytes: number) =>
      encodeCollectorRecord(
        'W',
        902n,
        4242,
        (b) => {
          caller(b);
          b.writeBigUInt64LE(1_700_000_000_123n, 32);
          b.writeUInt32LE(bytes, 40);
        },
        48,
        json,
      );
    // The record is cut in two chunks: the reader keeps the first part until the rest arrives.
    const both = Buffer.concat([encodeCollectorRecord('i', 901n, 4242, caller, 32), row(Buffer.byteLength(json))]);
    reader.push(both.subarray(0, 50));
    reader.push(both.subarray(50));
    reader.push(row(Buffer.byteLength(json) + 1));
    reader.push(
      encodeCollectorRecord(
        'T',
        903n,
        1,
        (b) => Array.from({ length: 10 }, (_, i) => b.writeUInt32LE(i + 1, 24 + 4 * i)),
        64,
      ),
    );
    const writer = { pid: 4242, startNs: 123_456_789_000n, execId: 3 };
    expect(got.rows.map((r) => (r.kind === 'row' ? { ...r, json: r.json.toString() } : r))).toEqual([
      { kind: 'writer', ...writer },
      { kind: 'row', ...writer, timeMs: 1_700_000_000_123, json },
      {
        kind: 'counters',
        events: 1,
        merged: 2,
        hashed: 3,
        outsideWatch: 4,
        unresolved: 5,
        trailingRows: 6,
        foldedIntoDelete: 7,
        forcedEarly: 8,
        settleChecks: 9,
        pendingPaths: 10,
      },
    ]);
    expect(got.other).toEqual([
      `invalid 'W' record of ${48 + Buffer.byteLength(json)} bytes is shorter than its fields (${49 + Buffer.byteLength(json)})`,
    ]);
  });

  it("decodes a leaf process's row (--process-rows), and refuses one shorter than its JSON", () => {
    const { got, reader } = collect();
    const json = '"FileName":"true","FolderPath":"/usr/bin/true","ProcessId":4243,"ProcessCommandLine":"true é"';
    const leaf = (bytes: number) =>
      encodeCollectorRecord(
        'P',
        904n,
        4243,
        (b) => {
          b.writeUInt32LE(4242, 20);
          b.writeUInt32LE(1000, 24);
          b.writeUInt32LE(bytes, 28);
          b.writeBigUInt64LE(123_456_789_000n, 32);
          b.writeBigUInt64LE(1_700_000_000_124n, 40);
        },
        48,
        json,
      );
    reader.push(Buffer.concat([leaf(Buffer.byteLength(json)), leaf(Buffer.byteLength(json) + 1)]));
    expect(got.process.map((e) => (e.kind === 'leaf' ? { ...e, json: e.json.toString() } : e))).toEqual([
      {
        kind: 'leaf',
        ns: 904n,
        pid: 4243,
        ppid: 4242,
        uid: 1000,
        startNs: 123_456_789_000n,
        timeMs: 1_700_000_000_124,
        json,
      },
    ]);
    expect(got.other).toEqual([
      `invalid 'P' record of ${48 + Buffer.byteLength(json)} bytes is shorter than its fields (${49 + Buffer.byteLength(json)})`,
    ]);
  });

  it('names a record it cannot read and stops at a size that puts the stream out of step', () => {
    const { got, reader } = collect();
    reader.push(encodeCollectorRecord('K', 1n, 1, () => undefined, 24));
    reader.push(encodeCollectorRecord('E', 1n, 1, (b) => b.writeUInt16LE(500, 40), 96, 'short'));
    // A record shorter than its kind's fixed part is refused before any field is read (here, at a chunk's end).
    reader.push(encodeCollectorRecord('E', 1n, 1, () => undefined, 24));
    const bad = Buffer.alloc(24);
    bad.writeUInt32LE(3, 0);
    reader.push(Buffer.concat([bad, exec]));
    expect(got.other).toEqual([
      "invalid unknown record kind 'K' (24 bytes)",
      "invalid 'E' record of 101 bytes is shorter than its fields (596)",
      "invalid 'E' record of 24 bytes is shorter than its fields (96)",
      'invalid record of 3 bytes at offset 0 of a 144-byte chunk',
    ]);
    expect(got.process).toEqual([]);
    // Out of step, the reader takes nothing more (the agent restarts the collector).
    expect(reader.broken).toBe(true);
    reader.push(exec);
    expect(got.process).toEqual([]);
  });

  it('writes addresses as Defender shows them', () => {
    expect(ipText(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))).toBe('::');
    expect(ipText(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))).toBe('::1');
    expect(ipText(Uint8Array.from([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2]))).toBe('fe80::1:0:0:2');
    expect(ipText(Uint8Array.from([0x20, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]))).toBe('2001:0:1::1:0');
  });
});

describe('captureRounds', () => {
  it('cuts a capture into rounds of kernel time, empty rounds included, and leaves trailing bytes in the last', () => {
    const at = (ms: number) =>
      encodeCollectorRecord('X', 5_000_000_000n + BigInt(ms) * 1_000_000n, 1, () => undefined, 24);
    const junk = Buffer.from('not a record');
    const rounds = captureRounds(Buffer.concat([at(0), at(100), at(450), at(460), junk]), 200);
    expect(rounds.map((r) => r.length)).toEqual([48, 0, 48 + junk.length]);
    expect(captureRounds(Buffer.alloc(0), 200)).toEqual([Buffer.alloc(0)]);
  });
});
