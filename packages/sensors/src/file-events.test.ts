import { describe, expect, it } from 'vitest';
import { bpfPrintfData } from './bpf-json.js';
import {
  bpftraceFileProgram,
  type FileLine,
  FileLinePairer,
  parseFileLine,
  prefixWords,
  watchPrefixes,
} from './file-events.js';

// Lines as bpftrace v0.17 -f json printed them on Linux 6.18.
const lines = [
  '{"type": "printf", "data": "o 10249020088976 30187 10244013887758 3 -100 577 1048576 2147047 /tmp/w/a b.sh\\n"}',
  '{"type": "printf", "data": "o 10249728082280 30187 10244013887758 3 -100 577 0 2147047 rel.sh\\n"}',
  '{"type": "printf", "data": "r 10249729725367 30430 10249728489211 4 30431 -100 /tmp/w/a.sh\\n"}',
  '{"type": "printf", "data": "d 10249731058660 30432 10249730063785 4 3 gone\\n"}',
  '{"type": "printf", "data": "n 30431 5 b.sh\\n"}',
];

describe('bpftrace file events', () => {
  it('parses complete opens and unlinks, with the caller start time and exec count', () => {
    expect(parseFileLine(lines[0] as string)).toEqual({
      kind: 'open',
      ns: 10249020088976n,
      pid: 30187,
      startNs: 10244013887758n,
      execId: 3,
      dfd: -100,
      flags: 577,
      created: true,
      ino: 2147047,
      path: '/tmp/w/a b.sh',
      newDfd: -100,
      newPath: '',
    });
    expect(parseFileLine(lines[3] as string)).toMatchObject({ kind: 'unlink', pid: 30432, dfd: 3, path: 'gone' });
  });

  it('joins the two lines of a rename by thread; other events pass through', () => {
    const pairer = new FileLinePairer();
    const events = lines.map((l) => pairer.push(parseFileLine(l) as FileLine)).filter((e) => e !== undefined);
    expect(events.map((e) => e.kind)).toEqual(['open', 'open', 'unlink', 'rename']);
    expect(events[3]).toEqual({
      kind: 'rename',
      ns: 10249729725367n,
      pid: 30430,
      startNs: 10249728489211n,
      execId: 4,
      dfd: -100,
      path: '/tmp/w/a.sh',
      flags: 0,
      created: false,
      ino: 0,
      newDfd: 5,
      newPath: 'b.sh',
    });
    // One shape for every kind: the same keys in the same order.
    expect(new Set(events.map((e) => Object.keys(e).join()))).toHaveLength(1);
    expect(pairer.size).toBe(0);
  });

  it('reads printf lines without JSON.parse unless they hold escapes', () => {
    expect(bpfPrintfData('{"type": "printf", "data": "d 1 2 3 4 5 x\\n"}')).toBe('d 1 2 3 4 5 x');
    expect(bpfPrintfData('{"type": "printf", "data": "d 1 2 3 4 5 a\\"b\\\\c\\td\\n"}')).toBe('d 1 2 3 4 5 a"b\\c\td');
    expect(bpfPrintfData('{"type": "printf", "data": "A 1 3 a\\\\x00b\\\\\\n"}')).toBe('A 1 3 a\\x00b\\');
    expect(bpfPrintfData('{"type": "attached_probes", "data": {"probes": 3}}')).toBeUndefined();
  });

  it('compares watched prefixes as 64-bit words in one probe, and refuses unsafe paths', () => {
    expect(watchPrefixes(['/etc', '/tmp/', 'relative'])).toEqual(['/etc/', '/tmp/']);
    expect(prefixWords('/etc/')).toEqual([{ value: 0x2f6374652fn, mask: 0xffffffffffn }]);
    expect(prefixWords('/usr/local/bin/').map((w) => w.value)).toEqual([0x636f6c2f7273752fn, 0x2f6e69622f6c61n]);
    const prog = bpftraceFileProgram(['/etc', '/usr/local/bin'], 99);
    expect(prog).toContain('(($w0 & 0xffffffffff) == 0x2f6374652f)');
    // Second word of /usr/local/bin/ unreadable: passed on to the agent, not dropped.
    expect(prog).toContain('($w0 == 0x636f6c2f7273752f && $w1 == 0)');
    expect(prog).toContain('pid != 99');
    expect(prog).not.toContain('strncmp');
    expect(() => bpftraceFileProgram(['/tmp/a"b'], 1)).toThrow(/characters/);
    expect(prefixWords(`/var/${'x'.repeat(80)}/`)).toHaveLength(8);
  });
});
