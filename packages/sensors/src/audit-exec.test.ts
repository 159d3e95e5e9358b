import { describe, expect, it } from 'vitest';
import { AuditExecAssembler } from './audit-exec.js';

const lines = [
  'type=SYSCALL msg=audit(1764400000.123:4711): arch=c000003e syscall=59 success=yes exit=0 a0=55 a1=56 a2=57 a3=0 items=2 ppid=100 pid=101 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="echo" exe="/usr/bin/echo" key="vigil_exec"\x1dARCH=x86_64 SYSCALL=execve UID="root"',
  'type=EXECVE msg=audit(1764400000.123:4711): argc=3 a0="echo" a1="hello" a2=6120622063',
  'type=CWD msg=audit(1764400000.123:4711): cwd="/root"',
  'type=PATH msg=audit(1764400000.123:4711): item=0 name="/usr/bin/echo" inode=1 dev=fe:01 mode=0100755',
  'type=PROCTITLE msg=audit(1764400000.123:4711): proctitle=6563686F0068656C6C6F',
  'type=EOE msg=audit(1764400000.123:4711): ',
];

describe('audit execve events', () => {
  it('assembles SYSCALL, EXECVE and CWD records of one event, decoding hex arguments', () => {
    const a = new AuditExecAssembler();
    const out = lines.map((l) => a.push(l));
    expect(out.slice(0, 4).every((x) => x === undefined)).toBe(true);
    expect(out[5]).toBeUndefined();
    expect(out[4]).toEqual({
      serial: 4711,
      timeMs: 1764400000123,
      pid: 101,
      ppid: 100,
      uid: 0,
      exe: '/usr/bin/echo',
      argv: ['echo', 'hello', 'a b c'],
      cwd: '/root',
      success: true,
    });
  });

  it('ignores events of other system calls', () => {
    const a = new AuditExecAssembler();
    a.push(lines[0]?.replace('syscall=59', 'syscall=2') ?? '');
    expect(a.push(lines[4] ?? '')).toBeUndefined();
  });
});
