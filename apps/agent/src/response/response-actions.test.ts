import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BootClock } from '@vigil/sensors';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBootTimeMs } from '../proc-fs.js';
import { type RunningAgent, runAgent } from '../run-agent.js';
import { type ServerProcess, spawnServer, stopServer, vigil, waitFor } from '../test-support.js';
import { processStart } from './kill.js';

// biome-ignore lint/suspicious/noExplicitAny: API answers are asserted field by field
type Json = any;

describe('response actions end to end: API → signed command → agent → report', () => {
  let dir: string;
  let server: ServerProcess;
  let agent: RunningAgent;
  let token: string;
  let work: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-resp-srv-'));
    server = await spawnServer(dir);
    token = vigil(['token', 'create', 'responder', '--data', dir, '--tenant', 'default', '--role', 'analyst']).trim();
    work = mkdtempSync(join(tmpdir(), 'vigil-resp-work-'));
    agent = await runAgent({
      server: server.url,
      enrollToken: vigil(['tenant', 'enroll-token', 'default', '--data', dir]).trim(),
      dataDir: mkdtempSync(join(tmpdir(), 'vigil-resp-agent-')),
      sensors: { process: false, network: false, files: false, logons: false, deviceState: false },
      commandPollWaitS: 2,
      log: (l) => logs.push(l),
    });
  }, 120_000);
  afterAll(async () => {
    await agent?.stop();
    if (server) await stopServer(server);
  });

  const api = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : undefined };
  };
  /** Requests an action and waits until it reaches a final state. */
  const act = async (route: string, body: Record<string, unknown>): Promise<Json> => {
    const r = await api('POST', `/api/machines/${agent.deviceId}/${route}`, { Comment: 'test', ...body });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    let last: Json;
    const done = await waitFor(
      async () => {
        last = (await api('GET', `/api/machineactions/${r.json.id}`)).json;
        return ['Succeeded', 'Failed', 'TimeOut', 'Cancelled'].includes(last.status);
      },
      60_000,
      200,
    );
    if (!done) throw new Error(`action ${route} stuck in ${last?.status}; agent log:\n${logs.join('\n')}`);
    return last;
  };
  const download = async (path: string) =>
    Buffer.from(
      await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer(),
    );

  it('kills a process only when its pid and start time match', async () => {
    const child = spawn('sleep', ['300']);
    const exited = new Promise<string | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    const pid = child.pid as number;
    const start = processStart(pid, new BootClock(readBootTimeMs()));
    if (!start) throw new Error('sleep did not start');
    const wrong = await act('kill', {
      ProcessId: pid,
      ProcessCreationTime: new Date(start.startMs - 60_000).toISOString(),
    });
    expect(wrong.status).toBe('Failed');
    expect(wrong.errorMessage).toContain('the pid was reused, nothing was killed');
    expect(child.exitCode).toBeNull();
    const right = await act('kill', { ProcessId: pid, ProcessCreationTime: new Date(start.startMs).toISOString() });
    expect(right.status).toBe('Succeeded');
    expect(right.result).toMatchObject({ processId: pid, processName: 'sleep' });
    expect(await exited).toBe('SIGKILL');
    expect(right.history.map((h: Json) => h.status)).toEqual(['Pending', 'InProgress', 'Succeeded']);
  });

  it('quarantines a file after checking its hash, and restores it', async () => {
    const file = join(work, 'dropper.sh');
    writeFileSync(file, '#!/bin/sh\necho owned\n');
    chmodSync(file, 0o750);
    const sha256 = (await import('node:crypto')).createHash('sha256').update(readFileSync(file)).digest('hex');
    const wrong = await act('quarantine', { Path: file, Sha256: 'ab'.repeat(32) });
    expect(wrong.status).toBe('Failed');
    expect(wrong.errorMessage).toContain('nothing was quarantined');
    expect(existsSync(file)).toBe(true);
    const q = await act('quarantine', { Path: file, Sha256: sha256 });
    expect(q.status).toBe('Succeeded');
    expect(q.relatedFileInfo).toEqual({ fileIdentifier: sha256, fileIdentifierType: 'Sha256' });
    expect(existsSync(file)).toBe(false);
    const stored = join(agent.dataDir, 'quarantine', sha256, 'file');
    expect(statSync(stored).mode & 0o777).toBe(0);
    expect(q.result).toMatchObject({ sha256, originalPath: file, mode: 0o750 });
    const back = await act('unquarantine', { Sha256: sha256 });
    expect(back.status).toBe('Succeeded');
    expect(readFileSync(file, 'utf8')).toBe('#!/bin/sh\necho owned\n');
    expect(statSync(file).mode & 0o777).toBe(0o750);
    expect(existsSync(stored)).toBe(false);
  });

  it('collects an investigation package and uploads it as one archive', async () => {
    const a = await act('collectInvestigationPackage', {});
    expect(a.status, a.errorMessage).toBe('Succeeded');
    const uri = (await api('GET', `/api/machineactions/${a.id}/getPackageUri`)).json.value as string;
    const tgz = join(work, 'package.tar.gz');
    writeFileSync(tgz, await download(uri));
    const entries: string[] = [];
    await list({ file: tgz, onReadEntry: (e) => entries.push(e.path) });
    for (const need of ['processes.json', 'connections.json', 'users.json', 'persistence/index.json', 'summary.json']) {
      expect(entries).toContain(`investigation/${need}`);
    }
    expect(a.result.items['processes.json']).toBe('collected');
  });

  it('runs allowlisted live-response commands in order and stops at the first failure', async () => {
    mkdirSync(join(work, 'lr'), { recursive: true });
    writeFileSync(join(work, 'lr', 'note.txt'), 'evidence\n');
    const ok = await act('runLiveResponse', {
      Commands: [
        { type: 'Dir', params: [{ key: 'Path', value: join(work, 'lr') }] },
        { type: 'GetFile', params: [{ key: 'Path', value: join(work, 'lr', 'note.txt') }] },
        { type: 'Processes', params: [] },
        {
          type: 'FindFile',
          params: [
            { key: 'Name', value: 'note.txt' },
            { key: 'Path', value: work },
          ],
        },
      ],
    });
    expect(ok.status, JSON.stringify(ok.commands)).toBe('Succeeded');
    expect(ok.commands.map((c: Json) => c.commandStatus)).toEqual(['Completed', 'Completed', 'Completed', 'Completed']);
    expect(ok.commands[0].output.entries[0]).toMatchObject({ type: 'file', size: 9 });
    expect(ok.commands[1].output.sha256).toBe(ok.commands[1].file.sha256);
    expect((await download(`/api/machineactions/${ok.id}/liveresponse/1`)).toString()).toBe('evidence\n');
    expect(ok.commands[2].output.some((p: Json) => p.pid === process.pid)).toBe(true);
    expect(ok.commands[3].output.found).toEqual([join(work, 'lr', 'note.txt')]);
    const bad = await act('runLiveResponse', {
      Commands: [
        { type: 'Dir', params: [{ key: 'Path', value: '/no/such/folder' }] },
        { type: 'Users', params: [] },
      ],
    });
    expect(bad.status).toBe('Failed');
    expect(bad.commands[0].errors[0]).toContain('ENOENT');
    expect(bad.commands[1].commandStatus).toBe('Created');
  });
});
