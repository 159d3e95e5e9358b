import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.js';

/** Byte-at-a-time reference. */
function reference(b: Uint8Array, start: number, end: number): number {
  let c = ~0;
  for (let i = start; i < end; i++) {
    c ^= b[i] as number;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return ~c >>> 0;
}

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32(new TextEncoder().encode('123456789'), 0, 9)).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0), 0, 0)).toBe(0);
  });

  it('agrees with the byte-at-a-time reference at any alignment and length, and continues', () => {
    const b = Uint8Array.from({ length: 5000 }, (_, i) => (i * 2654435761) >>> 24);
    for (const [start, end] of [
      [0, 5000],
      [1, 4999],
      [3, 20],
      [7, 7],
      [5, 4096],
    ] as const) {
      expect(crc32(b, start, end)).toBe(reference(b, start, end));
      expect(crc32(b.subarray(1), start, end - 1)).toBe(reference(b, start + 1, end));
    }
    const whole = crc32(b, 0, 5000);
    expect(crc32(b, 1234, 5000, crc32(b, 0, 1234))).toBe(whole);
  });
});
