import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { eachLine } from './bpftrace-child.js';

describe('eachLine', () => {
  it('splits chunks into lines, joining a line cut between chunks, and gives the last unterminated one at the end', () => {
    const input = new PassThrough();
    const lines: string[] = [];
    eachLine(input, (l) => lines.push(l));
    input.write('{"a": 1}\n{"b"');
    input.write(': 2}\n\n{"c": é}\n{"d"');
    input.end(': 4}');
    return new Promise<void>((resolve) =>
      input.on('end', () => {
        expect(lines).toEqual(['{"a": 1}', '{"b": 2}', '', '{"c": é}', '{"d": 4}']);
        resolve();
      }),
    );
  });
});
