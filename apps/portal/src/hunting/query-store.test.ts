import { describe, expect, it } from 'vitest';
import { historyLimit, QueryStore } from './query-store';

describe('QueryStore', () => {
  it('keeps runs newest first, once each, up to the limit', () => {
    const store = new QueryStore(localStorage);
    store.addHistory('A | take 1');
    store.addHistory('B | take 1');
    store.addHistory('A | take 1');
    expect(store.history().map((q) => q.query)).toEqual(['A | take 1', 'B | take 1']);
    for (let i = 0; i < historyLimit + 5; i++) store.addHistory(`Q${i}`);
    expect(store.history()).toHaveLength(historyLimit);
    store.clearHistory();
    expect(store.history()).toEqual([]);
  });

  it('names a run after its first line and survives damaged storage', () => {
    const store = new QueryStore(localStorage);
    expect(store.addHistory('\nDeviceInfo\n| take 1')[0]?.name).toBe('DeviceInfo');
    localStorage.setItem('vigil.hunting.history', 'oops');
    expect(store.history()).toEqual([]);
  });
});
