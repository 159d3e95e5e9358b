import { describe, expect, it } from 'vitest';
import { BootClock, parseBootTime, parseProcStat } from './boot-clock.js';
import { parseBpftraceLine, splitArgs } from './bpftrace-events.js';

describe('bpftrace process events', () => {
  it.each([
    ['{"type": "attached_probes", "data": {"probes": 3}}', { kind: 'attached', probes: 3 }],
    ['{"type": "lost_events", "data": {"events": 12}}', { kind: 'lost', events: 12 }],
    [
      '{"type": "printf", "data": "F 3079977599790 12342 12496 1000\\n"}',
      { kind: 'fork', ns: 3079977599790n, ppid: 12342, pid: 12496, bootOffsetNs: 1000n },
    ],
    [
      '{"type": "printf", "data": "E 3079978481162 12497 12496 0 3079978358890 /bin/true\\n"}',
      {
        kind: 'exec',
        ns: 3079978481162n,
        pid: 12497,
        realParent: 12496,
        uid: 0,
        startNs: 3079978358890n,
        filename: '/bin/true',
      },
    ],
    ['{"type": "printf", "data": "N 12497 true\\n"}', { kind: 'name', pid: 12497, name: 'true' }],
    ['{"type": "printf", "data": "X 3079978873702 12497\\n"}', { kind: 'exit', ns: 3079978873702n, pid: 12497 }],
  ])('parses %s', (line, expected) => {
    expect(parseBpftraceLine(line)).toEqual(expected);
  });

  it('decodes escaped bytes of the argument area (UTF-8 here) on the slower path', () => {
    const line = '{"type": "printf", "data": "A 7 11 echo\\\\x00caf\\\\xc3\\\\xa9\\\\x00\\n"}';
    expect(parseBpftraceLine(line)).toEqual({ kind: 'args', pid: 7, length: 11, copied: 11, argv: ['echo', 'café'] });
  });

  it('decodes the argument area and cuts it at its length (the environment follows it)', () => {
    const line =
      '{"type": "printf", "data": "A 12496 38 sh\\\\x00-c\\\\x00/bin/true; echo \\"a b\\"\\\\x00marker123\\\\x00SHELL=/bin/bash\\\\x00\\n"}';
    const e = parseBpftraceLine(line);
    expect(e).toEqual({
      kind: 'args',
      pid: 12496,
      length: 38,
      copied: 38,
      argv: ['sh', '-c', '/bin/true; echo "a b"', 'marker123'],
    });
    expect(splitArgs(new TextEncoder().encode('a\0b\0'), 4)).toEqual(['a', 'b']);
  });
});

describe('kernel start times', () => {
  it('reads btime and /proc/PID/stat with odd process names', () => {
    expect(parseBootTime('cpu 1 2 3\nbtime 1700000000\n')).toBe(1_700_000_000_000);
    const stat = '42 (we ird) name)) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 12345 100 1';
    expect(parseProcStat(stat)).toEqual({
      comm: 'we ird) name)',
      state: 'S',
      ppid: 7,
      flags: 4194560,
      startTicks: 12345,
    });
  });

  it('agrees between eBPF nanoseconds and /proc ticks', () => {
    const c = new BootClock(1_700_000_000_000);
    expect(c.ticksFromNs(123_456_789_000n)).toBe(12345);
    expect(c.isoFromTicks(12345)).toBe(new Date(1_700_000_000_000 + 123_450).toISOString());
    expect(c.isoFromTicks(12345)).toBe(new Date(1_700_000_000_000 + 123_450).toISOString());
    expect(c.isoFromTicks(12346)).toBe(new Date(1_700_000_000_000 + 123_460).toISOString());
    expect(c.ticksAt(1_700_000_000_000 + 123_450)).toBe(12345);
  });
});
