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

  it('saves by name, replaces the same name and deletes', () => {
    const store = new QueryStore(localStorage);
    store.save('b query', 'B');
    store.save('a query', 'A');
    const list = store.save('b query', 'B2');
    expect(list.map((q) => [q.name, q.query])).toEqual([
      ['a query', 'A'],
      ['b query', 'B2'],
    ]);
    expect(store.remove(list[0]!.id).map((q) => q.name)).toEqual(['b query']);
  });

  it('names an unnamed query after its first line and survives damaged storage', () => {
    const store = new QueryStore(localStorage);
    expect(store.save('  ', '\nDeviceInfo\n| take 1')[0]?.name).toBe('DeviceInfo');
    localStorage.setItem('vigil.hunting.history', 'oops');
    expect(store.history()).toEqual([]);
  });
});
