import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type RunningServer, startServer } from '../start-server.js';

/** A decoded JSON answer; tests check it field by field. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in tests
type Json = any;

/** A server on a fresh data dir, with helpers to call it. */
export interface Harness {
  readonly server: RunningServer;
  readonly dir: string;
  /** The first admin password of the default tenant. */
  readonly adminPassword: string;
  call(
    method: string,
    path: string,
    token?: string,
    body?: unknown,
  ): Promise<{ status: number; json: Json; headers: Headers }>;
  /** Signs in and returns a session token. */
  login(tenant: string, user: string, password: string): Promise<string>;
  /** Enrolls a device in a tenant and returns its id and secret. */
  enroll(tenant: string, hostname?: string): Promise<{ deviceId: string; deviceSecret: string }>;
  /** Sends one NDJSON batch (gzip unless told). */
  ingest(
    secret: string,
    batchId: string,
    lines: readonly string[] | Buffer,
    gzip?: boolean,
  ): Promise<{ status: number; json: Json; headers: Headers }>;
  count(tenant: string, sql: string): Promise<number>;
  stop(): Promise<void>;
}

/** Starts a server on a temporary data dir. */
export async function startHarness(options: Partial<Parameters<typeof startServer>[0]> = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-srv-'));
  let adminPassword = '';
  const server = await startServer({
    ...options,
    data: dir,
    port: 0,
    print: (line) => {
      const m = /password: (\S+)/.exec(line);
      if (m) adminPassword = m[1] as string;
    },
  });
  const call: Harness['call'] = async (method, path, token, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json, headers: res.headers };
  };
  const h: Harness = {
    server,
    dir,
    adminPassword,
    call,
    async login(tenant, user, password) {
      const r = await call('POST', '/api/auth/login', undefined, { tenant, username: user, password });
      if (r.status !== 200) throw new Error(`login failed: ${JSON.stringify(r.json)}`);
      return r.json.token as string;
    },
    async enroll(tenant, hostname = 'host-1') {
      const t = await server.data.tenant(tenant);
      const { token } = await t.service.createEnrollToken({});
      const r = await call('POST', '/api/agent/enroll', undefined, { token, hostname, osPlatform: 'Linux' });
      if (r.status !== 201) throw new Error(`enroll failed: ${JSON.stringify(r.json)}`);
      return r.json as { deviceId: string; deviceSecret: string };
    },
    async ingest(secret, batchId, lines, gzip = true) {
      const raw = Buffer.isBuffer(lines) ? lines : Buffer.from(`${lines.join('\n')}\n`);
      const res = await fetch(`${server.url}/api/agent/ingest`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${secret}`,
          'content-type': 'application/x-ndjson',
          ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          'x-batch-id': batchId,
        },
        body: gzip && !Buffer.isBuffer(lines) ? gzipSync(raw) : raw,
      });
      const text = await res.text();
      return { status: res.status, json: text ? JSON.parse(text) : undefined, headers: res.headers };
    },
    async count(tenant, sql) {
      const t = await server.data.tenant(tenant);
      const r = await t.telemetry.query(sql);
      return Number(r.rows[0]?.[0] ?? 0);
    },
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  // adminPassword was captured during start; rebuild the object with it.
  return { ...h, adminPassword };
}

/** A DeviceProcessEvents row as an NDJSON line. */
export function processRow(i: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    Table: 'DeviceProcessEvents',
    Timestamp: new Date(Date.UTC(2026, 10, 1, 0, 0, i % 60)).toISOString(),
    ActionType: 'ProcessCreated',
    FileName: 'bash',
    FolderPath: '/usr/bin/bash',
    ProcessId: 1000 + i,
    ProcessCommandLine: `bash -c "echo ${i}"`,
    ReportId: i,
    ...extra,
  });
}
