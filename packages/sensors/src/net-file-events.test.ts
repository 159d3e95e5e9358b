import { describe, expect, it } from 'vitest';
import {
  bpftraceNetworkProgram,
  fileEventRow,
  ipType,
  networkEventRow,
  parseNetworkLine,
  parseProcNet,
} from './net-file-events.js';
import { INITIATING_COMMAND_LINE_MAX } from './process-row.js';
import type { ProcessInfo } from './process-tree.js';

// Lines as bpftrace v0.17 -f json printed them on Linux 6.18.
const NET = {
  listen:
    '{"type": "printf", "data": "L 5663478926110 19069 10 2 127.0.0.1 55825 0.0.0.0 0 ::ffff:127.0.0.1 ::ffff:0.0.0.0\\n"}',
  connect:
    '{"type": "printf", "data": "C 5663479789186 19069 1 2 127.0.0.1 38944 127.0.0.1 55825 ::ffff:127.0.0.1 ::ffff:127.0.0.1\\n"}',
  accept:
    '{"type": "printf", "data": "I 5663479852191 19069 2 6 127.0.0.1 55825 127.0.0.1 8344 ::ffff:127.0.0.1 ::ffff:127.0.0.1\\n"}',
  udp: '{"type": "printf", "data": "U 5663479911460 19069 2 17 192.0.2.2 54810 10.1.2.3 13568 :: ::\\n"}',
  refused:
    '{"type": "printf", "data": "C 5663479955156 19069 7 2 127.0.0.1 43456 127.0.0.1 1 ::ffff:127.0.0.1 ::ffff:127.0.0.1\\n"}',
  v6: '{"type": "printf", "data": "C 1 7 1 10 0.0.0.0 40000 0.0.0.0 443 2001:db8::5 2606:4700::1111\\n"}',
};

describe('bpftrace network events', () => {
  it.each([
    [NET.listen, { actionType: 'ListeningConnectionCreated', localIp: '127.0.0.1', localPort: 55825, remotePort: 0 }],
    [
      NET.connect,
      {
        actionType: 'ConnectionSuccess',
        protocol: 'Tcp',
        pid: 19069,
        localIp: '127.0.0.1',
        localPort: 38944,
        remoteIp: '127.0.0.1',
        remotePort: 55825,
      },
    ],
    // The accepted socket's remote port is in network byte order: 8344 = 0x2098 → 0x9820 = 38944.
    [NET.accept, { actionType: 'InboundConnectionAccepted', localPort: 55825, remotePort: 38944, protocol: 'Tcp' }],
    [
      NET.udp,
      { actionType: 'ConnectionSuccess', protocol: 'Udp', localIp: '192.0.2.2', remoteIp: '10.1.2.3', remotePort: 53 },
    ],
    [NET.refused, { actionType: 'ConnectionFailed', remotePort: 1 }],
    [NET.v6, { localIp: '2001:db8::5', remoteIp: '2606:4700::1111', remotePort: 443 }],
  ])('parses %s', (line, expected) => {
    expect(parseNetworkLine(line)).toMatchObject({ kind: 'net', ...expected });
  });

  it('passes control lines through', () => {
    expect(parseNetworkLine('{"type": "attached_probes", "data": {"probes": 7}}')).toEqual({
      kind: 'attached',
      probes: 7,
    });
    expect(parseNetworkLine('{"type": "lost_events", "data": {"events": 3}}')).toEqual({ kind: 'lost', events: 3 });
    expect(parseNetworkLine('')).toBeUndefined();
  });

  it('leaves the agent out of the program', () => {
    expect(bpftraceNetworkProgram(4242)).toContain('pid != 4242');
  });
});

const proc: ProcessInfo = {
  pid: 100,
  ppid: 1,
  startTicks: 5,
  creationTime: '2026-01-01T00:00:00.000Z',
  path: '/usr/bin/curl',
  commandLine: 'curl https://example.com',
  uid: 0,
  accountName: 'root',
  sha1: 'a'.repeat(40),
};

describe('network rows', () => {
  it('classifies addresses and fills the initiating process', () => {
    expect(ipType('127.0.0.1')).toBe('Loopback');
    expect(ipType('10.0.0.1')).toBe('Private');
    expect(ipType('8.8.8.8')).toBe('Public');
    expect(ipType('0.0.0.0')).toBe('Unspecified');
    const e = parseNetworkLine(NET.connect);
    if (e?.kind !== 'net') throw new Error('not a net event');
    const row = networkEventRow('2026-01-01T00:00:01.000Z', e, proc, undefined, { source: 'ebpf' });
    expect(row).toMatchObject({
      Table: 'DeviceNetworkEvents',
      ActionType: 'ConnectionSuccess',
      RemoteIPType: 'Loopback',
      LocalIPType: 'Loopback',
      InitiatingProcessId: 100,
      InitiatingProcessFileName: 'curl',
      InitiatingProcessSHA1: 'a'.repeat(40),
      AdditionalFields: '{"source":"ebpf"}',
    });
  });
});

describe('/proc/net parsing (the fallback source)', () => {
  it('reads IPv4 and IPv6 sockets with states and inodes', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 21412 1 0000000000000000 100 0 0 10 0
   1: 0100007F:A1B2 0100007F:0CEA 01 00000000:00000000 00:00000000 00000000     0        0 31337 1 0000000000000000 20 4 30 10 -1`;
    expect(parseProcNet(tcp)).toEqual([
      { localIp: '127.0.0.1', localPort: 3306, remoteIp: '0.0.0.0', remotePort: 0, state: 10, inode: 21412 },
      { localIp: '127.0.0.1', localPort: 41394, remoteIp: '127.0.0.1', remotePort: 3306, state: 1, inode: 31337 },
    ]);
    const tcp6 = `  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1234 1 0000000000000000 100 0 0 10 0
   1: 0000000000000000FFFF00000100007F:0016 0000000000000000FFFF00000100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 1235 1 0000000000000000 100 0 0 10 0`;
    const [a, b] = parseProcNet(tcp6);
    expect(a).toMatchObject({ localIp: '::1', localPort: 22, remoteIp: '::', state: 10 });
    expect(b).toMatchObject({ localIp: '127.0.0.1', remoteIp: '127.0.0.1', remotePort: 50000, state: 1 });
  });
});

describe('DeviceFileEvents rows', () => {
  it('cuts a very long InitiatingProcessCommandLine and says how long it was', () => {
    const rm = { ...proc, commandLine: `rm -rf ${'/tmp/x/f.sh '.repeat(2000)}` };
    const row = fileEventRow(
      '2026-01-01T00:00:01.000Z',
      'FileDeleted',
      '/tmp/x/f.sh',
      undefined,
      undefined,
      rm,
      undefined,
      {
        source: 'ebpf',
      },
    );
    expect(String(row.InitiatingProcessCommandLine)).toHaveLength(INITIATING_COMMAND_LINE_MAX);
    expect(JSON.parse(String(row.AdditionalFields))).toEqual({
      source: 'ebpf',
      initiatingCommandLineLength: rm.commandLine.length,
    });
    const short = fileEventRow(
      '2026-01-01T00:00:01.000Z',
      'FileDeleted',
      '/tmp/x',
      undefined,
      undefined,
      proc,
      undefined,
      {
        source: 'ebpf',
      },
    );
    expect(JSON.parse(String(short.AdditionalFields))).toEqual({ source: 'ebpf' });
  });

  it('builds DeviceFileEvents rows with the previous name of a rename', () => {
    const row = fileEventRow(
      '2026-01-01T00:00:01.000Z',
      'FileRenamed',
      '/tmp/d/new.sh',
      { sha1: 'b'.repeat(40), sha256: 'c'.repeat(64), md5: 'd'.repeat(32), fileSize: 12 },
      '/tmp/old.sh',
      proc,
      undefined,
      { source: 'ebpf' },
    );
    expect(row).toMatchObject({
      Table: 'DeviceFileEvents',
      ActionType: 'FileRenamed',
      FileName: 'new.sh',
      FolderPath: '/tmp/d/new.sh',
      PreviousFileName: 'old.sh',
      PreviousFolderPath: '/tmp/old.sh',
      SHA1: 'b'.repeat(40),
      FileSize: 12,
      InitiatingProcessCommandLine: 'curl https://example.com',
    });
  });
});
