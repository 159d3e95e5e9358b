import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentUnit } from './install.js';
import { type ServerProcess, spawnServer, stopServer, VIGIL_BIN, vigil } from './test-support.js';

let dir: string;
let server: ServerProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-install-srv-'));
  server = await spawnServer(dir);
});
afterAll(async () => {
  if (server) await stopServer(server);
});

const hasSystemdAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

describe('vigil agent install', () => {
  it('enrolls now, writes a unit without the token, and is idempotent', () => {
    const token = vigil(['tenant', 'enroll-token', 'default', '--data', dir]).trim();
    const dataDir = join(mkdtempSync(join(tmpdir(), 'vigil-install-')), 'agent data');
    const unitDir = mkdtempSync(join(tmpdir(), 'vigil-units-'));
    const args = ['agent', 'install', '--server', server.url, '--data-dir', dataDir, '--unit-dir', unitDir];
    const first = vigil([...args, '--enroll-token', token]);
    expect(first).toMatch(/^enrolled device [0-9a-f]+ in tenant default$/m);
    expect(first).toContain('systemctl daemon-reload && systemctl enable --now vigil-agent.service');
    // The collector is built now (or the admin is told why it cannot be), not at the service's first start.
    expect(first).toMatch(/^eBPF: vigil-collector (ready \(.+\)|cannot be built here \(.+\);.*)$/m);
    const unitPath = join(unitDir, 'vigil-agent.service');
    const unit = readFileSync(unitPath, 'utf8');
    expect(unit).toContain(
      `ExecStart=${process.execPath} --no-memory-reducer ${VIGIL_BIN} agent --server ${server.url}`,
    );
    expect(unit).toContain(`--data-dir "${dataDir}" --process-source auto`);
    expect(unit).toContain('WantedBy=multi-user.target');
    expect(unit).not.toContain(token);
    expect(statSync(join(dataDir, 'agent.json')).mode & 0o777).toBe(0o600);
    if (hasSystemdAnalyze) {
      const r = spawnSync('systemd-analyze', ['verify', unitPath], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    // Run again: the identity is kept, no second device.
    const deviceId = /device ([0-9a-f]+)/.exec(first)?.[1];
    expect(vigil(args)).toContain(`already enrolled: device ${deviceId} in tenant default`);
    // --ebpf goes into the unit; with bpftrace there is no collector to build.
    const bpftrace = vigil([...args, '--ebpf', 'bpftrace']);
    expect(bpftrace).not.toMatch(/vigil-collector/);
    expect(readFileSync(unitPath, 'utf8')).toContain('--process-source auto --ebpf bpftrace');
  });

  it('refuses an unknown token before writing anything', () => {
    const unitDir = join(mkdtempSync(join(tmpdir(), 'vigil-units-')), 'units');
    const r = spawnSync(
      process.execPath,
      [
        VIGIL_BIN,
        'agent',
        'install',
        '--server',
        server.url,
        '--enroll-token',
        'bogus',
        '--data-dir',
        mkdtempSync(join(tmpdir(), 'vigil-install-')),
        '--unit-dir',
        unitDir,
      ],
      { encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('unknown enrollment token');
    expect(existsSync(unitDir)).toBe(false);
  });

  it('quotes ExecStart words the way systemd reads them', () => {
    expect(agentUnit(['/usr/bin/node', '/opt/my vigil/bin/vigil.js', 'agent'])).toContain(
      'ExecStart=/usr/bin/node "/opt/my vigil/bin/vigil.js" agent',
    );
    expect(agentUnit(['a"b\\c'])).toContain('ExecStart="a\\"b\\\\c"');
  });
});
