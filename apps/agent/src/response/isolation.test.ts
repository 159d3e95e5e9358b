import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, spawnServer, stopServer, VIGIL_BIN, vigil, waitFor } from '../test-support.js';
import { ISOLATION_TABLE, isolationRuleset } from './isolation.js';

const root = process.getuid?.() === 0;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const why = !root ? 'needs root' : !has('nft') ? 'needs nft (apt install nftables)' : !has('ip') ? 'needs ip' : '';

describe('isolation rules', () => {
  it('allow loopback and only TCP to and from the server', () => {
    const rules = isolationRuleset({ addresses: ['10.1.2.3', 'fd00::1'], port: 8470 });
    expect(rules).toContain('policy drop');
    expect(rules).toContain('ip daddr { 10.1.2.3 } tcp dport 8470 accept');
    expect(rules).toContain('ip saddr { 10.1.2.3 } tcp sport 8470 accept');
    expect(rules).toContain('ip6 daddr { fd00::1 } tcp dport 8470 accept');
    expect(rules).toContain('oif "lo" accept');
  });
});

/**
 * A network namespace joined to the host by a veth pair. The server and a second service listen on the host side;
 * the agent runs inside the namespace, so its nftables rules touch nothing but the namespace.
 */
describe.skipIf(why !== '')(`isolation inside a network namespace${why ? ` (skipped: ${why})` : ''}`, () => {
  const tag = `v${process.pid % 100000}`;
  const ns = `vigil-iso-${tag}`;
  const octet = 16 + (process.pid % 200);
  const hostIp = `10.231.${octet}.1`;
  const nsIp = `10.231.${octet}.2`;
  let dir: string;
  let server: ServerProcess;
  let other: Server;
  let otherPort: number;
  let agent: ChildProcess | undefined;
  let agentLog = '';
  let token: string;
  let agentDir: string;
  let deviceId = '';

  const sh = (cmd: string) => {
    const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${cmd}: ${r.stderr}`);
    return r.stdout;
  };
  /** Whether a TCP connection from inside the namespace reaches host:port within 1.5 s. */
  const reach = (port: number) => {
    const script = `const s=require('net').connect(${port},'${hostIp}',()=>{console.log('open');process.exit(0)});s.on('error',()=>{console.log('refused');process.exit(0)});setTimeout(()=>{console.log('timeout');process.exit(0)},1500)`;
    return sh(`ip netns exec ${ns} ${process.execPath} -e "${script}"`).trim();
  };
  const startAgent = (extra: string[] = []) => {
    agentLog = '';
    agent = spawn(
      'ip',
      [
        'netns',
        'exec',
        ns,
        process.execPath,
        VIGIL_BIN,
        'agent',
        '--server',
        server.url,
        '--data-dir',
        agentDir,
        '--sensors',
        'none',
        ...extra,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    agent.stdout?.on('data', (b: Buffer) => {
      agentLog += b.toString();
    });
    agent.stderr?.on('data', (b: Buffer) => {
      agentLog += b.toString();
    });
  };
  const stopAgent = async () => {
    const a = agent;
    if (!a || a.exitCode !== null) return;
    await new Promise<void>((r) => {
      a.once('exit', () => r());
      a.kill('SIGTERM');
    });
  };
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return (await res.json()) as Record<string, unknown>;
  };
  const act = async (route: string) => {
    const a = await api('POST', `/api/machines/${deviceId}/${route}`, { Comment: 'isolation test' });
    let status = '';
    await waitFor(
      async () => {
        status = String((await api('GET', `/api/machineactions/${a.id}`)).status);
        return status === 'Succeeded' || status === 'Failed';
      },
      60_000,
      250,
    );
    return { status, action: await api('GET', `/api/machineactions/${a.id}`) };
  };
  const tableInNs = () =>
    spawnSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'table', 'inet', ISOLATION_TABLE]).status === 0;

  beforeAll(async () => {
    spawnSync('ip', ['netns', 'del', ns]);
    sh(`ip netns add ${ns}`);
    sh(`ip link add vh-${tag} type veth peer name vn-${tag}`);
    sh(`ip link set vn-${tag} netns ${ns}`);
    sh(`ip addr add ${hostIp}/30 dev vh-${tag} && ip link set vh-${tag} up`);
    sh(`ip netns exec ${ns} ip addr add ${nsIp}/30 dev vn-${tag}`);
    sh(`ip netns exec ${ns} ip link set vn-${tag} up && ip netns exec ${ns} ip link set lo up`);
    dir = mkdtempSync(join(tmpdir(), 'vigil-iso-srv-'));
    server = await spawnServer(dir, 0, hostIp);
    token = vigil(['token', 'create', 'iso', '--data', dir, '--tenant', 'default', '--role', 'analyst']).trim();
    other = createServer((s) => s.end());
    await new Promise<void>((r) => other.listen(0, hostIp, () => r()));
    otherPort = (other.address() as { port: number }).port;
    agentDir = mkdtempSync(join(tmpdir(), 'vigil-iso-agent-'));
    startAgent(['--enroll-token', vigil(['tenant', 'enroll-token', 'default', '--data', dir]).trim()]);
    await waitFor(() => existsSync(join(agentDir, 'agent.json')), 60_000, 200);
    const machines = (await api('GET', '/api/machines')).value as { id: string }[];
    deviceId = machines[0]?.id ?? '';
  }, 120_000);

  afterAll(async () => {
    await stopAgent();
    if (server) await stopServer(server);
    other?.close();
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['link', 'del', `vh-${tag}`]);
  });

  it('before: the server and the other service are both reachable', () => {
    expect(deviceId).not.toBe('');
    expect(reach(Number(new URL(server.url).port))).toBe('open');
    expect(reach(otherPort)).toBe('open');
  });

  it('during: only the server is reachable, also after the agent restarts and after the rules are lost', async () => {
    const { status, action } = await act('isolate');
    expect(status, `${JSON.stringify(action)}\n${agentLog}`).toBe('Succeeded');
    const serverPort = Number(new URL(server.url).port);
    expect(reach(serverPort)).toBe('open');
    expect(reach(otherPort)).toBe('timeout');
    expect((await api('GET', `/api/machines/${deviceId}`)).isolationState).toBe('Isolated');

    await stopAgent();
    expect(tableInNs()).toBe(true);
    expect(reach(otherPort)).toBe('timeout');
    // A reboot drops the kernel's rules; the agent loads them again from its state when it starts.
    sh(`ip netns exec ${ns} nft delete table inet ${ISOLATION_TABLE}`);
    expect(reach(otherPort)).toBe('open');
    startAgent();
    await waitFor(() => /rules were loaded again/.test(agentLog), 30_000, 200);
    expect(agentLog).toMatch(/rules were loaded again/);
    expect(reach(otherPort)).toBe('timeout');
    expect(reach(serverPort)).toBe('open');
  });

  it('after release: both are reachable again', async () => {
    const { status } = await act('unisolate');
    expect(status, agentLog).toBe('Succeeded');
    expect(tableInNs()).toBe(false);
    expect(reach(otherPort)).toBe('open');
    expect(reach(Number(new URL(server.url).port))).toBe('open');
    expect(existsSync(join(agentDir, 'isolation.json'))).toBe(false);
    expect((await api('GET', `/api/machines/${deviceId}`)).isolationState).toBe('NotIsolated');
  });
});
