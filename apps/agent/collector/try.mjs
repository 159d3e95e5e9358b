#!/usr/bin/env node
// Decodes vigil-collector records (see README.md) and prints one JSON object per record: a debugging tool.
//   node try.mjs FILE          decode a file of records
//   vigil-collector ... | node try.mjs     decode stdin as it comes
import { createReadStream } from 'node:fs';

const utf8 = new TextDecoder();
const text = (b, at, len) => utf8.decode(b.subarray(at, at + len));

function ip(b, at, family) {
  if (family === 2) return [...b.subarray(at, at + 4)].join('.');
  const g = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[at + i] << 8) | b[at + i + 1]).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** One record at `at` of `b` (a Uint8Array holding at least `size` bytes from there). */
export function decode(b, at) {
  const v = new DataView(b.buffer, b.byteOffset + at);
  const size = v.getUint32(0, true);
  const kind = String.fromCharCode(v.getUint8(4));
  const r = { kind, size, ns: v.getBigUint64(8, true), pid: v.getUint32(16, true) };
  const aux = v.getUint32(20, true);
  const s = at; // string offsets below are relative to the record
  switch (kind) {
    case 'F':
      return { ...r, childPid: aux, childStartBoottime: v.getBigUint64(24, true) };
    case 'E': {
      const fl = v.getUint16(40, true);
      const nl = v.getUint16(42, true);
      const al = v.getUint16(44, true);
      const argv = text(b, s + 96 + fl + nl, al).split('\0');
      if (argv.length > 1 && argv[argv.length - 1] === '') argv.pop();
      return {
        ...r,
        realParent: aux,
        uid: v.getUint32(24, true),
        argsLen: v.getUint32(28, true),
        startBoottime: v.getBigUint64(32, true),
        image: {
          ino: v.getBigUint64(48, true),
          size: v.getBigUint64(56, true),
          mtimeSec: v.getBigInt64(64, true),
          mtimeNsec: v.getUint32(72, true),
          dev: v.getUint32(76, true),
          ctimeSec: v.getBigInt64(80, true),
          ctimeNsec: v.getUint32(88, true),
        },
        filename: text(b, s + 96, fl),
        name: text(b, s + 96 + fl, nl),
        argv,
      };
    }
    case 'X':
      return r;
    case 'o':
    case 'd':
    case 'r': {
      const f = { ...r, execId: aux, startBoottime: v.getBigUint64(24, true), dfd: v.getInt32(32, true) };
      if (kind === 'o') {
        return {
          ...f,
          flags: `0x${v.getUint32(36, true).toString(16)}`,
          ino: v.getBigUint64(40, true),
          created: v.getUint8(48),
          path: text(b, s + 52, v.getUint16(50, true)),
        };
      }
      if (kind === 'd') return { ...f, path: text(b, s + 40, v.getUint16(36, true)) };
      const ol = v.getUint16(40, true);
      const nl = v.getUint16(42, true);
      return { ...f, newDfd: v.getInt32(36, true), oldPath: text(b, s + 44, ol), newPath: text(b, s + 44 + ol, nl) };
    }
    case 'C':
    case 'L':
    case 'I':
    case 'U': {
      const family = v.getUint8(20);
      return {
        ...r,
        family,
        protocol: v.getUint8(21),
        newstate: v.getUint8(22),
        local: `${ip(b, s + 32, family)}:${v.getUint16(24, true)}`,
        remote: `${ip(b, s + 48, family)}:${v.getUint16(26, true)}`,
      };
    }
    case 'S': {
      const hex = (o, n) => Buffer.from(b.subarray(s + o, s + o + n)).toString('hex');
      const flags = v.getUint32(24, true);
      return {
        ...r,
        what: aux === 1 ? 'settled' : aux === 2 ? 'trailing' : aux,
        flags,
        fileSize: v.getBigUint64(32, true),
        mtimeSec: v.getBigInt64(40, true),
        mtimeNsec: v.getUint32(48, true),
        ...(flags & 4 ? { sha1: hex(56, 20), sha256: hex(76, 32), md5: hex(108, 16) } : {}),
        path: text(b, s + 124, v.getUint16(28, true)),
      };
    }
    case 'Q':
      return { ...r, path: text(b, s + 28, v.getUint16(24, true)) };
    case 'T': {
      const names = ['events', 'merged', 'hashed', 'outsideWatch', 'unresolved', 'trailingRows', 'foldedIntoDelete'];
      names.push('forcedEarly', 'settleChecks', 'pendingPaths');
      return { ...r, ...Object.fromEntries(names.map((n, i) => [n, v.getUint32(24 + 4 * i, true)])) };
    }
    case 'i':
      return { ...r, execId: aux, startBoottime: v.getBigUint64(24, true) };
    case 'W':
      return {
        ...r,
        execId: aux,
        startBoottime: v.getBigUint64(24, true),
        timeMs: v.getBigUint64(32, true),
        row: JSON.parse(`{${text(b, s + 48, v.getUint32(40, true))}}`),
      };
    case 'P':
      return {
        ...r,
        parent: aux,
        uid: v.getUint32(24, true),
        startBoottime: v.getBigUint64(32, true),
        timeMs: v.getBigUint64(40, true),
        row: JSON.parse(`{${text(b, s + 48, v.getUint32(28, true))}}`),
      };
    case 'A':
      return { ...r, programs: aux };
    case 'Z':
      return { ...r, dropped: v.getBigUint64(24, true) };
    default:
      return { ...r, unknown: true };
  }
}

const json = (o) => JSON.stringify(o, (_, x) => (typeof x === 'bigint' ? x.toString() : x));

let rest = Buffer.alloc(0);
const input = process.argv[2] ? createReadStream(process.argv[2]) : process.stdin;
input.on('data', (chunk) => {
  const b = rest.length ? Buffer.concat([rest, chunk]) : chunk;
  let at = 0;
  while (b.length - at >= 24) {
    const size = b.readUInt32LE(at);
    if (size < 24) throw new Error(`bad record size ${size} at byte ${at}`);
    if (b.length - at < size) break;
    console.log(json(decode(b, at)));
    at += size;
  }
  rest = Buffer.from(b.subarray(at));
});
input.on('end', () => {
  if (rest.length) console.error(`${rest.length} bytes of an incomplete record at the end`);
});
