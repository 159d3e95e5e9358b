import { describe, expect, it } from 'vitest';
import { toCsv, toJson } from './export-rows';

const columns = [
  { Name: 'Name', Type: 'String' },
  { Name: 'N', Type: 'Int64' },
  { Name: 'Extra', Type: 'Object' },
];

describe('export', () => {
  it('writes RFC 4180 CSV with quoting and JSON objects as text', () => {
    const csv = toCsv(columns, [
      { Name: 'plain', N: 1, Extra: null },
      { Name: 'with, comma "quoted"', N: 2, Extra: { a: 1 } },
      { Name: 'line\nbreak', N: 3, Extra: [1, 2] },
    ]);
    expect(csv).toBe(
      'Name,N,Extra\r\nplain,1,\r\n"with, comma ""quoted""",2,"{""a"":1}"\r\n"line\nbreak",3,"[1,2]"\r\n',
    );
  });

  it('writes JSON rows in column order with nulls for missing cells', () => {
    const json = JSON.parse(toJson(columns, [{ N: 1, Name: 'x' }]));
    expect(json).toEqual([{ Name: 'x', N: 1, Extra: null }]);
    expect(Object.keys(json[0])).toEqual(['Name', 'N', 'Extra']);
  });
});
