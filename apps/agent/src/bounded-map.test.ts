import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

describe('BoundedMap', () => {
  it('holds fewer than max entries, dropping the oldest generation whole', () => {
    const m = new BoundedMap<number, string>(10);
    for (let i = 0; i < 1000; i++) {
      m.set(i, `v${i}`);
      expect(m.size).toBeLessThan(10);
    }
    // Generations of five: the 1,000th entry filled the young one, which became the old one (995-999).
    expect(m.get(999)).toBe('v999');
    expect(m.has(995)).toBe(true);
    expect(m.has(994)).toBe(false);
    m.set(1000, 'v1000');
    expect(m.size).toBe(6);
    expect(m.get(0)).toBeUndefined();
  });

  it('keeps an entry that is read: a hit in the old generation moves it to the young one', () => {
    const m = new BoundedMap<string, number>(4);
    m.set('a', 1);
    m.set('b', 2); // young full: {a, b} becomes old
    expect(m.get('a')).toBe(1); // moved to young
    m.set('c', 3); // young {a, c} full: old {b} dropped
    expect(m.has('b')).toBe(false);
    expect(m.get('a')).toBe(1);
    expect(m.get('c')).toBe(3);
    expect(m.size).toBe(2);
  });

  it('sets, replaces and deletes in either generation, and keeps undefined values', () => {
    const m = new BoundedMap<string, number | undefined>(4);
    m.set('a', 1);
    m.set('b', undefined); // {a, b} old
    expect(m.has('b')).toBe(true);
    expect(m.get('b')).toBeUndefined();
    m.set('a', 5); // replaced, moved to young
    expect(m.get('a')).toBe(5);
    expect(m.size).toBe(2);
    expect(m.delete('a')).toBe(true);
    expect(m.delete('a')).toBe(false);
    expect(m.delete('b')).toBe(true);
    expect(m.size).toBe(0);
  });
});
