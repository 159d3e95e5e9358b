import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { AuditExecAssembler, type BootClock } from '@vigil/sensors';
import { FileTail, lineSplitter } from './file-tail.js';
import { argvToCommandLine, readCmdline, readExe } from './proc-fs.js';
import type { ProcessSensor } from './process-sensor.js';

const AUDIT_LOG = '/var/log/audit/audit.log';
const KEY = 'vigil_exec';
const RULES = [
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'execve,execveat', '-k', KEY],
  ['-a', 'always,exit', '-F', 'arch=b32', '-S', 'execve,execveat', '-k', KEY],
];

/** True when the audit subsystem is on and auditd writes its log (auditctl -s shows a daemon pid). */
export function auditUsable(): boolean {
  if (process.getuid?.() !== 0 || !existsSync(AUDIT_LOG)) return false;
  const r = spawnSync('auditctl', ['-s'], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  const pid = /^pid (\d+)/m.exec(r.stdout);
  return /^enabled [12]/m.test(r.stdout) && pid !== null && Number(pid[1]) > 0;
}

/** Process starts from the kernel audit subsystem: execve rules added with auditctl, read from auditd's log. */
export class AuditProcessSource {
  private tail: FileTail | undefined;
  private readonly assembler = new AuditExecAssembler();

  constructor(
    private readonly sensor: ProcessSensor,
    private readonly clock: BootClock,
  ) {}

  start(): void {
    for (const rule of RULES) spawnSync('auditctl', rule, { stdio: 'ignore' });
    this.tail = new FileTail(
      AUDIT_LOG,
      lineSplitter((line) => {
        const e = this.assembler.push(line);
        if (!e?.success) return;
        const cmd = readCmdline(e.pid);
        const exe = readExe(e.pid);
        this.sensor.onExec({
          pid: e.pid,
          ppid: e.ppid,
          uid: e.uid,
          startTicks: this.clock.ticksAt(e.timeMs),
          procCommandLine: cmd ?? argvToCommandLine(e.argv),
          procExe: exe ?? e.exe,
          timeMs: e.timeMs,
        });
      }),
      { intervalMs: 50 },
    );
  }

  stop(): Promise<void> {
    this.tail?.poll();
    this.tail?.stop();
    for (const rule of RULES) spawnSync('auditctl', ['-d', ...rule.slice(1)], { stdio: 'ignore' });
    return Promise.resolve();
  }
}
