import { describe, expect, it } from 'vitest';
import { BinXmlError } from './binxml-error.js';
import { arrayItems, renderValue, valueTypes as t } from './render-value.js';

const hex = (s: string) => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (h) => Number.parseInt(h, 16));
const utf16 = (s: string) =>
  Uint8Array.from(s.split('').flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >>> 8]));
const render = (type: number, bytes: Uint8Array) => renderValue(bytes, type, 0, bytes.length);

describe('renderValue', () => {
  const cases: [string, number, Uint8Array, string][] = [
    ['null', t.null, hex(''), ''],
    ['UTF-16 string, cut at the NUL terminator', t.string, utf16('C:\\Windows\0junk'), 'C:\\Windows'],
    ['UTF-16 string with a surrogate pair', t.string, utf16('a\u{1F600}b'), 'a\u{1F600}b'],
    ['long UTF-16 string (TextDecoder path)', t.string, utf16('x'.repeat(100)), 'x'.repeat(100)],
    ['ANSI string as Windows-1252', t.ansiString, hex('41 80 42 00'), 'A\u20acB'],
    ['int8', t.int8, hex('ff'), '-1'],
    ['uint8', t.uint8, hex('ff'), '255'],
    ['int16', t.int16, hex('00 80'), '-32768'],
    ['uint16', t.uint16, hex('34 12'), '4660'],
    ['int32', t.int32, hex('ff ff ff ff'), '-1'],
    ['uint32', t.uint32, hex('ff ff ff ff'), '4294967295'],
    ['int64 negative', t.int64, hex('fe ff ff ff ff ff ff ff'), '-2'],
    ['int64 small', t.int64, hex('2a 00 00 00 00 00 00 00'), '42'],
    ['uint64 above 2^53', t.uint64, hex('ff ff ff ff ff ff ff ff'), '18446744073709551615'],
    ['real32 shortest form', t.real32, hex('cd cc cc 3d'), '0.1'],
    ['real64', t.real64, hex('00 00 00 00 00 00 f8 3f'), '1.5'],
    ['bool true', t.bool, hex('01 00 00 00'), 'true'],
    ['bool false', t.bool, hex('00 00 00 00'), 'false'],
    ['binary as upper-case hex', t.binary, hex('de ad be ef 00'), 'DEADBEEF00'],
    [
      'GUID: first three groups little-endian',
      t.guid,
      hex('5f 38 70 57 2a c2 e0 43 bf 4c 06 f5 69 8f fb d9'),
      '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}',
    ],
    ['size_t (8 bytes) as hex', t.sizeT, hex('00 00 93 00 00 00 00 00'), '0x930000'],
    ['size_t (4 bytes) as hex', t.sizeT, hex('10 00 00 00'), '0x10'],
    ['FILETIME with microseconds', t.filetime, filetime(132008542458688647n), '2019-04-27T15:57:25.868864Z'],
    ['FILETIME zero is 1601', t.filetime, filetime(0n), '1601-01-01T00:00:00.000000Z'],
    [
      'FILETIME in the far future (BigInt path)',
      t.filetime,
      filetime(0x7fffffffffffffffn),
      '30828-09-14T02:48:05.477580Z',
    ],
    ['SYSTEMTIME', t.systemtime, hex('e3 07 04 00 06 00 1b 00 0f 00 39 00 19 00 64 03'), '2019-04-27T15:57:25.868000Z'],
    ['SID S-1-5-18', t.sid, hex('01 01 00 00 00 00 00 05 12 00 00 00'), 'S-1-5-18'],
    [
      'SID with five sub-authorities',
      t.sid,
      sid([21, 1587066498, 1489273250, 1035260531, 1108]),
      'S-1-5-21-1587066498-1489273250-1035260531-1108',
    ],
    ['hex32 lower case without padding', t.hex32, hex('6d 00 00 c0'), '0xc000006d'],
    ['hex32 zero', t.hex32, hex('00 00 00 00'), '0x0'],
    ['hex64', t.hex64, hex('00 00 00 00 00 00 00 80'), '0x8000000000000000'],
    ['hex64 small', t.hex64, hex('e7 03 00 00 00 00 00 00'), '0x3e7'],
    ['EvtHandle as hex', t.evtHandle, hex('2a 00 00 00 00 00 00 00'), '0x2a'],
    ['EvtXml as UTF-16 text', t.evtXml, utf16('<a/>'), '<a/>'],
  ];
  it.each(cases)('%s', (_name, type, bytes, expected) => {
    expect(render(type, bytes)).toBe(expected);
  });

  it('rejects a value too short for its type and unknown types', () => {
    expect(() => render(t.uint32, hex('01 02'))).toThrow(BinXmlError);
    expect(() => render(t.guid, hex('01'))).toThrow(BinXmlError);
    expect(() => render(t.sid, hex('01 05 00 00 00 00 00 05 12 00 00 00'))).toThrow(/sub-authorities/);
    expect(() => render(0x7f, hex('00'))).toThrow(/unknown value type/);
  });
});

describe('array values', () => {
  const cases: [string, number, Uint8Array, string[]][] = [
    [
      'UTF-16 strings, NUL-separated, empty items kept',
      t.string | t.array,
      utf16('NTDS\x003392\x00\x001\x00'),
      ['NTDS', '3392', '', '1'],
    ],
    ['UTF-16 strings without a final NUL', t.string | t.array, utf16('a\x00b'), ['a', 'b']],
    ['ANSI strings', t.ansiString | t.array, hex('41 00 42 42 00'), ['A', 'BB']],
    ['uint16', t.uint16 | t.array, hex('01 00 02 00 ff ff'), ['1', '2', '65535']],
    ['int32', t.int32 | t.array, hex('ff ff ff ff 07 00 00 00'), ['-1', '7']],
    ['uint64', t.uint64 | t.array, hex('01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00'), ['1', '2']],
    ['bool', t.bool | t.array, hex('01 00 00 00 00 00 00 00'), ['true', 'false']],
    [
      'GUID',
      t.guid | t.array,
      hex(`${'00'.repeat(16)}${'ff'.repeat(16)}`),
      ['{00000000-0000-0000-0000-000000000000}', '{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}'],
    ],
    [
      'FILETIME',
      t.filetime | t.array,
      new Uint8Array([...filetime(0n), ...filetime(132008542458688647n)]),
      ['1601-01-01T00:00:00.000000Z', '2019-04-27T15:57:25.868864Z'],
    ],
    [
      'SYSTEMTIME',
      t.systemtime | t.array,
      hex('e3 07 04 00 06 00 1b 00 0f 00 39 00 19 00 64 03'),
      ['2019-04-27T15:57:25.868000Z'],
    ],
    [
      'SID (variable size items)',
      t.sid | t.array,
      new Uint8Array([...sid([18], 5), ...sid([32, 544], 5)]),
      ['S-1-5-18', 'S-1-5-32-544'],
    ],
    ['hex32', t.hex32 | t.array, hex('01 00 00 00 ff 00 00 00'), ['0x1', '0xff']],
    ['hex64', t.hex64 | t.array, hex('10 00 00 00 00 00 00 00'), ['0x10']],
    ['binary: no item boundaries, one hex string', t.binary | t.array, hex('01 02'), ['0102']],
  ];
  it.each(cases)('%s', (_name, type, bytes, expected) => {
    expect(arrayItems(bytes, type, 0, bytes.length)).toEqual(expected);
  });

  it('renders an array in text context as its items joined by commas', () => {
    expect(render(t.uint16 | t.array, hex('01 00 02 00'))).toBe('1,2');
  });
});

function filetime(v: bigint): Uint8Array {
  return Uint8Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn));
}

function sid(subs: number[], authority = 5): Uint8Array {
  const b = new Uint8Array(8 + 4 * subs.length);
  b[0] = 1;
  b[1] = subs.length;
  b[7] = authority;
  const dv = new DataView(b.buffer);
  subs.forEach((s, i) => {
    dv.setUint32(8 + 4 * i, s, true);
  });
  return b;
}
