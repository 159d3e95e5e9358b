import { spawnSync } from 'node:child_process';
import { lookup } from 'node:dns/promises';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

/** The nftables table isolation owns; nothing else of the host's firewall is touched. */
export const ISOLATION_TABLE = 'vigil_isolation';

/** Where isolation can still reach: the server's addresses and port. */
export interface IsolationPeer {
  readonly addresses: readonly string[];
  readonly port: number;
}

/** What is stored in DATA/isolation.json while the device is isolated. */
export interface IsolationRecord {
  readonly since: string;
  readonly actionId: string;
  readonly server: string;
  readonly peer: IsolationPeer;
}

/** The server's addresses and port from its URL (names are resolved now, while the network still works). */
export async function serverPeer(serverUrl: string): Promise<IsolationPeer> {
  const u = new URL(serverUrl);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  if (addresses.length === 0) throw new Error(`cannot resolve the server ${host}`);
  return { addresses: [...new Set(addresses)], port };
}

/**
 * The ruleset: input and output policies drop everything except loopback and TCP to and from the server's
 * address and port. The priority runs it before other filter chains; a drop here is final.
 */
export function isolationRuleset(peer: IsolationPeer): string {
  const v4 = peer.addresses.filter((a) => isIP(a) === 4);
  const v6 = peer.addresses.filter((a) => isIP(a) === 6);
  const allow = (dir: 'in' | 'out') => {
    const [addr, port] = dir === 'out' ? ['daddr', 'dport'] : ['saddr', 'sport'];
    return [
      ...(v4.length ? [`    ip ${addr} { ${v4.join(', ')} } tcp ${port} ${peer.port} accept`] : []),
      ...(v6.length ? [`    ip6 ${addr} { ${v6.join(', ')} } tcp ${port} ${peer.port} accept`] : []),
    ];
  };
  return [
    `table inet ${ISOLATION_TABLE} {`,
    '  chain input {',
    '    type filter hook input priority -300; policy drop;',
    '    iif "lo" accept',
    ...allow('in'),
    '  }',
    '  chain output {',
    '    type filter hook output priority -300; policy drop;',
    '    oif "lo" accept',
    ...allow('out'),
    '  }',
    '  chain forward {',
    '    type filter hook forward priority -300; policy drop;',
    '  }',
    '}',
  ].join('\n');
}

function nft(args: readonly string[], input?: string): { ok: boolean; out: string } {
  const r = spawnSync('nft', args, { input, encoding: 'utf8', timeout: 15_000 });
  if (r.error) return { ok: false, out: `nft could not run: ${r.error.message} (install the nftables package)` };
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim() };
}

/** True when the isolation table is loaded in the kernel. */
export function isolationLoaded(): boolean {
  return nft(['list', 'table', 'inet', ISOLATION_TABLE]).ok;
}

/** Loads the ruleset atomically (replacing an older one); throws with nft's message on failure. */
export function applyIsolation(peer: IsolationPeer): string {
  const ruleset = isolationRuleset(peer);
  // "add" then "delete" makes the delete safe when the table does not exist; the whole file is one transaction.
  const script = `add table inet ${ISOLATION_TABLE}\ndelete table inet ${ISOLATION_TABLE}\n${ruleset}\n`;
  const r = nft(['-f', '-'], script);
  if (!r.ok) throw new Error(`nft refused the isolation rules: ${r.out}`);
  return ruleset;
}

/** Removes the isolation table; true when it was there. */
export function removeIsolation(): boolean {
  if (!isolationLoaded()) return false;
  const r = nft(['delete', 'table', 'inet', ISOLATION_TABLE]);
  if (!r.ok) throw new Error(`nft could not remove the isolation rules: ${r.out}`);
  return true;
}

/** The isolation state kept in the agent's data dir, so that it survives restarts and reboots. */
export class IsolationState {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = join(dataDir, 'isolation.json');
  }

  read(): IsolationRecord | undefined {
    if (!existsSync(this.file)) return undefined;
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as IsolationRecord;
    } catch {
      return undefined;
    }
  }

  write(r: IsolationRecord): void {
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(r, null, 2)}\n`, { mode: 0o600 });
    renameSync(`${this.file}.tmp`, this.file);
  }

  clear(): void {
    rmSync(this.file, { force: true });
  }

  /** At start: an isolated device stays isolated (the rules are loaded again if a reboot dropped them). */
  restore(log: (line: string) => void): void {
    const r = this.read();
    if (!r) return;
    if (isolationLoaded()) {
      log(`isolated since ${r.since} (action ${r.actionId}); the rules are in place`);
      return;
    }
    applyIsolation(r.peer);
    log(`isolated since ${r.since} (action ${r.actionId}); the rules were loaded again`);
  }
}
