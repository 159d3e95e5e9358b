/** An execve seen by the kernel audit subsystem (SYSCALL + EXECVE + CWD + PATH records of one event). */
export interface AuditExec {
  readonly serial: number;
  readonly timeMs: number;
  readonly pid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly exe: string;
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly success: boolean;
}

function decodeHex(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return new TextDecoder().decode(bytes);
}

/** An audit value: "quoted" text, or hex-encoded bytes when the text holds spaces or special characters. */
export function auditValue(raw: string): string {
  if (raw.startsWith('"') && raw.endsWith('"')) return raw.slice(1, -1);
  if (/^[0-9A-F]+$/.test(raw) && raw.length % 2 === 0) return decodeHex(raw);
  return raw;
}

/** Splits `key=value key="quoted value"` fields of one audit record. */
export function auditFields(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/(\w+)=("[^"]*"|\S*)/g)) out.set(m[1] as string, m[2] as string);
  return out;
}

interface Pending {
  timeMs: number;
  records: Map<string, Map<string, string>[]>;
}

/** Groups audit log lines by event serial and yields complete execve events (at EOE). */
export class AuditExecAssembler {
  private readonly pending = new Map<number, Pending>();

  /**
   * Feeds one line of audit.log; returns an execve when this line completes one. auditd's enriched format
   * appends resolved names after a \x1d; it rarely logs EOE, so PROCTITLE (the last record of a syscall
   * event) also completes an event.
   */
  push(line: string): AuditExec | undefined {
    const cut = line.indexOf('\x1d');
    const m = /^type=(\w+) msg=audit\((\d+)\.(\d+):(\d+)\): ?(.*)$/.exec(cut < 0 ? line : line.slice(0, cut));
    if (!m) return undefined;
    const type = m[1] as string;
    const serial = Number(m[4]);
    let p = this.pending.get(serial);
    if (!p) {
      p = { timeMs: Number(m[2]) * 1000 + Number(m[3]), records: new Map() };
      this.pending.set(serial, p);
      this.expire(serial);
    }
    if (type !== 'EOE') {
      const list = p.records.get(type) ?? [];
      list.push(auditFields(m[5] ?? ''));
      p.records.set(type, list);
      if (type !== 'PROCTITLE') return undefined;
    }
    this.pending.delete(serial);
    return toExec(serial, p);
  }

  private expire(latest: number): void {
    // Events without an EOE (lost records) must not pile up.
    for (const serial of this.pending.keys()) if (serial < latest - 10_000) this.pending.delete(serial);
  }
}

function toExec(serial: number, p: Pending): AuditExec | undefined {
  const sys = p.records.get('SYSCALL')?.[0];
  const execve = p.records.get('EXECVE')?.[0];
  if (!sys || !execve || (sys.get('syscall') !== '59' && sys.get('syscall') !== '322')) return undefined;
  const argc = Number(execve.get('argc') ?? 0);
  const argv: string[] = [];
  for (let i = 0; i < argc; i++) argv.push(auditValue(execve.get(`a${i}`) ?? ''));
  return {
    serial,
    timeMs: p.timeMs,
    pid: Number(sys.get('pid')),
    ppid: Number(sys.get('ppid')),
    uid: Number(sys.get('uid')),
    exe: auditValue(sys.get('exe') ?? ''),
    argv,
    cwd: auditValue(p.records.get('CWD')?.[0]?.get('cwd') ?? ''),
    success: sys.get('success') === 'yes',
  };
}
