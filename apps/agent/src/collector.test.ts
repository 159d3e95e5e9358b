import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BpfProcessEvent } from '@vigil/sensors';
import { describe, expect, it } from 'vitest';
import { buildCollector, CollectorHub } from './collector.js';
import { waitFor } from './test-support.js';

/**
 * A stand-in for vigil-collector (test only): writes an attach record and one exit record per run, then, on its
 * first run, dies (or writes a record of an impossible size); later runs stay up until SIGTERM.
 */
function standIn(dir: string, firstRun: 'exit' | 'garbage'): string {
  const path = join(dir, 'collector');
  const runs = join(dir, 'runs');
  writeFileSync(
    path,
    `#!${process.execPath}
const fs = require('node:fs');
const run = fs.existsSync(${JSON.stringify(runs)}) ? Number(fs.readFileSync(${JSON.stringify(runs)}, 'utf8')) + 1 : 1;
fs.writeFileSync(${JSON.stringify(runs)}, String(run));
const rec = (kind, pid, extra = 0) => {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(24, 0); b[4] = kind.charCodeAt(0); b.writeBigUInt64LE(BigInt(run), 8); b.writeUInt32LE(pid, 16); b.writeUInt32LE(extra, 20);
  return b;
};
process.stdout.write(Buffer.concat([rec('A', 0, 3), rec('X', 1000 + run)]));
if (run === 1 && ${JSON.stringify(firstRun)} === 'exit') setTimeout(() => process.exit(3), 100);
else if (run === 1) process.stdout.write(Buffer.alloc(24, 0xff));
else process.on('SIGTERM', () => process.exit(0));
setInterval(() => {}, 1000);
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('CollectorHub', () => {
  it.each(['exit', 'garbage'] as const)(
    'restarts the collector after its first run ends with %s, and keeps handing its records to the parts',
    async (firstRun) => {
      const dir = mkdtempSync(join(tmpdir(), 'vigil-collector-hub-'));
      const logs: string[] = [];
      const hub = new CollectorHub(standIn(dir, firstRun), { process: true, network: false }, (l) => logs.push(l));
      const parts = await hub.start(10_000);
      expect(parts.via).toBe('vigil-collector');
      expect(parts.network).toBeUndefined();
      const seen: BpfProcessEvent[] = [];
      parts.process?.bind((e) => seen.push(e));
      await waitFor(() => seen.length >= 2, 10_000, 50);
      expect(seen).toEqual([
        { kind: 'exit', ns: 1n, pid: 1001 },
        { kind: 'exit', ns: 2n, pid: 1002 },
      ]);
      expect(hub.restarts).toBe(1);
      if (firstRun === 'garbage') expect(logs.join('\n')).toMatch(/record of 4294967295 bytes at offset \d+/);
      expect(logs.join('\n')).toMatch(/vigil-collector exited with .*; restarting it/);
      await parts.process?.stop();
    },
    30_000,
  );

  it('says why there is no collector when its sources are missing or its build fails', async () => {
    const build = await buildCollector(mkdtempSync(join(tmpdir(), 'vigil-collector-data-')), () => undefined);
    // On a machine with clang, bpftool and libbpf-dev it builds; elsewhere it says what is missing.
    if ('path' in build) expect(existsSync(build.path)).toBe(true);
    else expect(build.why).toMatch(/missing|failed|cannot write/);
  }, 180_000);
});
