import type { Alert } from '../api/types';
import { kqlString } from '../devices/timeline-query';

/** One process of the tree: what started it and what it started. */
export interface ProcessNode {
  readonly key: string;
  readonly processId: number | string;
  readonly creationTime: string | null;
  readonly fileName: string;
  readonly commandLine: string;
  /** When the process start was seen (null for a parent known only from its children's rows). */
  readonly timestamp: string | null;
  readonly children: ProcessNode[];
  /** The alert is about this process. */
  highlighted: boolean;
}

/** A process the alert names in its evidence. */
export interface AlertProcess {
  readonly processId: number | string;
  readonly creationTime?: string | undefined;
}

type Row = Readonly<Record<string, unknown>>;

const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const timeOf = (v: unknown): string | null => {
  if (typeof v !== 'string' || v === '') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? v : new Date(t).toISOString();
};
const pidOf = (v: unknown): number | string | null =>
  typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? (/^\d+$/.test(v) ? Number(v) : v) : null;

/** The Process evidence of an alert. */
export function alertProcesses(alert: Alert): AlertProcess[] {
  const out: AlertProcess[] = [];
  for (const e of alert.evidence) {
    if (e.entityType !== 'Process') continue;
    const pid = pidOf(e.processId);
    if (pid === null) continue;
    const creationTime = timeOf(e.processCreationTime) ?? undefined;
    out.push({ processId: pid, ...(creationTime ? { creationTime } : {}) });
  }
  return out;
}

/** The hunting query of the processes on the alert's device from an hour before its first event to an hour after. */
export function processTreeQuery(machineId: string, firstEventTime: string): string {
  const at = Date.parse(firstEventTime);
  const from = new Date(at - 3_600_000).toISOString();
  const to = new Date(at + 3_600_000).toISOString();
  return [
    'DeviceProcessEvents',
    `| where DeviceId == ${kqlString(machineId)}`,
    `| where Timestamp >= datetime(${from}) and Timestamp <= datetime(${to})`,
    '| project Timestamp, ProcessId, ProcessCreationTime, FileName, ProcessCommandLine, InitiatingProcessId, InitiatingProcessCreationTime, InitiatingProcessFileName, InitiatingProcessCommandLine',
    '| sort by Timestamp asc',
    '| take 5000',
  ].join('\n');
}

/**
 * The parent/child tree of process start rows: each row is a process (`ProcessId`, `ProcessCreationTime`) started by
 * another (`InitiatingProcessId`, `InitiatingProcessCreationTime`). Process ids are reused, so a parent is matched by
 * id and creation time when both are known, otherwise by the latest process of that id started before the child.
 * Parents without a row of their own come from their children's `InitiatingProcess*` columns. Roots first, by time.
 */
export function buildProcessTree(rows: readonly Row[], highlight: readonly AlertProcess[] = []): ProcessNode[] {
  const nodes = new Map<string, ProcessNode>();
  const byPid = new Map<string, ProcessNode[]>();
  const parentOf = new Map<ProcessNode, ProcessNode>();

  const add = (node: ProcessNode): ProcessNode => {
    nodes.set(node.key, node);
    const list = byPid.get(String(node.processId)) ?? [];
    list.push(node);
    byPid.set(String(node.processId), list);
    return node;
  };
  const keyOf = (pid: number | string, created: string | null) => `${pid}@${created ?? ''}`;

  // Every row's own process first, so parents with rows are found before synthetic ones are made.
  const children: [ProcessNode, Row][] = [];
  for (const row of rows) {
    const pid = pidOf(row.ProcessId);
    if (pid === null) continue;
    const created = timeOf(row.ProcessCreationTime);
    const key = keyOf(pid, created ?? timeOf(row.Timestamp));
    const existing = nodes.get(key);
    const node =
      existing ??
      add({
        key,
        processId: pid,
        creationTime: created,
        fileName: text(row.FileName),
        commandLine: text(row.ProcessCommandLine),
        timestamp: timeOf(row.Timestamp),
        children: [],
        highlighted: false,
      });
    if (!existing) children.push([node, row]);
  }

  for (const [child, row] of children) {
    const ppid = pidOf(row.InitiatingProcessId);
    if (ppid === null) continue;
    const pcreated = timeOf(row.InitiatingProcessCreationTime);
    const before = child.creationTime ?? child.timestamp ?? '';
    const candidates = (byPid.get(String(ppid)) ?? []).filter((n) => n !== child);
    let parent =
      (pcreated ? candidates.find((n) => n.creationTime === pcreated) : undefined) ??
      (pcreated
        ? undefined
        : candidates
            .filter((n) => (n.creationTime ?? n.timestamp ?? '') <= before)
            .sort((a, b) =>
              (b.creationTime ?? b.timestamp ?? '').localeCompare(a.creationTime ?? a.timestamp ?? ''),
            )[0]);
    if (!parent) {
      const key = keyOf(ppid, pcreated);
      parent =
        nodes.get(key) ??
        add({
          key,
          processId: ppid,
          creationTime: pcreated,
          fileName: text(row.InitiatingProcessFileName),
          commandLine: text(row.InitiatingProcessCommandLine),
          timestamp: null,
          children: [],
          highlighted: false,
        });
    }
    if (parent === child || isAncestor(child, parent, parentOf)) continue;
    parent.children.push(child);
    parentOf.set(child, parent);
  }

  for (const h of highlight) {
    const candidates = byPid.get(String(h.processId)) ?? [];
    const exact = h.creationTime ? candidates.filter((n) => n.creationTime === h.creationTime) : [];
    for (const n of exact.length ? exact : candidates) n.highlighted = true;
  }

  // A parent known only from its children's rows sorts by its first child.
  const timeOfNode = (n: ProcessNode): string =>
    n.creationTime ?? n.timestamp ?? n.children.map(timeOfNode).sort()[0] ?? '';
  const order = (a: ProcessNode, b: ProcessNode) => timeOfNode(a).localeCompare(timeOfNode(b));
  for (const n of nodes.values()) n.children.sort(order);
  return [...nodes.values()].filter((n) => !parentOf.has(n)).sort(order);
}

function isAncestor(candidate: ProcessNode, of: ProcessNode, parentOf: Map<ProcessNode, ProcessNode>): boolean {
  for (let p: ProcessNode | undefined = of; p; p = parentOf.get(p)) if (p === candidate) return true;
  return false;
}

/** The trees that hold a highlighted process (the chain that led to the alert), or all of them when none does. */
export function treesLeadingToAlert(roots: readonly ProcessNode[]): ProcessNode[] {
  const has = (n: ProcessNode): boolean => n.highlighted || n.children.some(has);
  const leading = roots.filter(has);
  return leading.length ? leading : [...roots];
}
