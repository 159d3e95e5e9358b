import { describe, expect, it } from 'vitest';
import { batchFileName, makeBatchId, parseBatchFileName, segmentRows } from './spool-format.js';

describe('spool format', () => {
  it('names batches so that they sort in order and read back', () => {
    const a = batchFileName({ seq: 9, batchId: makeBatchId('abc', 9), rows: 3 });
    const b = batchFileName({ seq: 10, batchId: makeBatchId('abc', 10), rows: 1 });
    expect([b, a].sort()).toEqual([a, b]);
    expect(parseBatchFileName(a)).toEqual({ seq: 9, batchId: 'abc.9', rows: 3 });
    expect(parseBatchFileName('open.ndjson')).toBeUndefined();
  });

  it('drops a torn last line of a segment', () => {
    expect(segmentRows('{"a":1}\n{"b":2}\n{"c"')).toEqual({ rows: ['{"a":1}', '{"b":2}'], torn: true });
    expect(segmentRows('')).toEqual({ rows: [], torn: false });
  });
});
