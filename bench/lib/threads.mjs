// CPU seconds per thread of this process, from /proc/self/task (Linux; empty elsewhere).
import { readdirSync, readFileSync } from 'node:fs';

const TICKS = 100; // USER_HZ on Linux

/** CPU seconds of each live thread of a process (this one by default), by thread id. */
export function threadCpu(pid = 'self') {
  const out = new Map();
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const id of tasks) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${id}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(id, { name, cpu: (Number(f[11]) + Number(f[12])) / TICKS });
    } catch {
      // the thread ended
    }
  }
  return out;
}

/**
 * The CPU seconds each thread used since `before` (a threadCpu() result): the main thread first, then the others
 * from the busiest (Node's threads have no names of their own: the detection worker and DuckDB's threads show
 * as the busiest few).
 */
export function threadCpuSince(before, pid = process.pid) {
  const used = [];
  for (const [id, { name, cpu }] of threadCpu(pid === process.pid ? 'self' : pid))
    used.push({ main: Number(id) === pid, name, s: cpu - (before.get(id)?.cpu ?? 0) });
  used.sort((a, b) => Number(b.main) - Number(a.main) || b.s - a.s);
  const shown = used.filter((u) => u.main || u.s >= 0.05);
  const rest = used.filter((u) => !shown.includes(u)).reduce((sum, u) => sum + u.s, 0);
  const label = (u) => (u.main ? 'main ' : u.name && u.name !== 'node' ? `${u.name} ` : '');
  return `${shown.map((u) => `${label(u)}${u.s.toFixed(2)}`).join(', ')}${rest > 0 ? `, others ${rest.toFixed(2)}` : ''}`;
}
