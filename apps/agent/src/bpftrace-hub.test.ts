import { describe, expect, it } from 'vitest';
import { BpftraceHub } from './bpftrace-hub.js';
import { hasBpftrace } from './ebpf-source.js';

const bpf = process.getuid?.() === 0 && hasBpftrace();

describe('BpftraceHub', () => {
  it('refuses two parts that print the same tag', () => {
    expect(
      () =>
        new BpftraceHub(
          [
            { name: 'a', program: '', tags: 'AB', parse: (l) => l },
            { name: 'b', program: '', tags: 'BC', parse: (l) => l },
          ],
          () => undefined,
        ),
    ).toThrow(/tag B of b/);
  });

  it.skipIf(!bpf)(
    'runs several programs in one bpftrace and gives each part its own lines, kept until it binds (needs root and bpftrace)',
    async () => {
      const hub = new BpftraceHub(
        [
          { name: 'a', program: 'interval:ms:50 { printf("A %d\\n", 1); }', tags: 'A', parse: (l) => l },
          { name: 'b', program: 'interval:ms:50 { printf("B %d\\n", 2); }', tags: 'B', parse: (l) => l },
        ],
        () => undefined,
      );
      const parts = await hub.start();
      const a: string[] = [];
      const b: string[] = [];
      parts.get('a')?.bind((l) => a.push(String(l)));
      await new Promise((r) => setTimeout(r, 400));
      parts.get('b')?.bind((l) => b.push(String(l)));
      expect(a.length).toBeGreaterThan(2);
      expect(b.length).toBeGreaterThan(2);
      expect(a.every((l) => l.includes('"A 1'))).toBe(true);
      expect(b.every((l) => l.includes('"B 2'))).toBe(true);
      await parts.get('a')?.stop();
      await parts.get('b')?.stop();
    },
    60_000,
  );
});
