import { createReadStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { AgentCommand, CommandReport, SignedCommand } from '@vigil/protocol';
import type { BootClock } from '@vigil/sensors';
import { backoffMs } from '../backoff.js';
import { HttpClient } from '../http-client.js';
import type { UserNames } from '../user-names.js';
import { CommandVerifier } from './command-verifier.js';
import { buildInvestigationPackage } from './investigation-package.js';
import { applyIsolation, IsolationState, removeIsolation, serverPeer } from './isolation.js';
import { killProcess } from './kill.js';
import { runLiveResponse } from './live-response.js';
import { Quarantine } from './quarantine.js';

/** What the response side of the agent needs from the rest of it. */
export interface ResponseAgentOptions {
  readonly dataDir: string;
  readonly deviceId: string;
  readonly deviceSecret: string;
  /** The tenant's command-signing key, pinned at enrollment (asked for once when an older identity lacks it). */
  readonly commandPublicKey: () => Promise<string>;
  /** The server URL in use now (it can change while running). */
  readonly server: () => string;
  readonly clock: BootClock;
  readonly users: UserNames;
  readonly log: (line: string) => void;
  /** How long one command poll waits on the server (default 25 s). */
  readonly pollWaitS?: number;
  /** The server's time now (local time corrected by the measured skew), against which expiry is checked. */
  readonly serverNow?: () => number;
}

type Outcome = Omit<CommandReport, 'status'> & { readonly failed?: boolean };

/** How long past its wait the command poll waits for the server's answer before it gives up and polls again. */
const POLL_MARGIN_S = 30;

/**
 * Receives signed commands by long poll, verifies them, runs them and reports their states. Reports are retried
 * until the server takes them; a command the server no longer wants (cancelled, timed out) is not run.
 */
export class ResponseAgent {
  private verifier: CommandVerifier | undefined;
  readonly isolation: IsolationState;
  readonly quarantine: Quarantine;
  private readonly inFlight = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private poll: AbortController | undefined;
  /** The long poll's connection (see HttpClient: fetch's timer would wake the agent twice a second). */
  private readonly http = new HttpClient();
  readonly stats = { received: 0, refused: 0, succeeded: 0, failed: 0 };

  constructor(private readonly o: ResponseAgentOptions) {
    mkdirSync(join(o.dataDir, 'response'), { recursive: true, mode: 0o700 });
    this.isolation = new IsolationState(o.dataDir);
    this.quarantine = new Quarantine(join(o.dataDir, 'quarantine'));
  }

  /** Loads isolation again if the device was isolated, then starts polling. */
  start(): void {
    try {
      this.isolation.restore(this.o.log);
    } catch (e) {
      this.o.log(`could not restore isolation: ${(e as Error).message}`);
    }
    this.loop ??= this.run();
  }

  /** Stops polling and waits up to `graceMs` for commands still running (their reports are retried briefly). */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.poll?.abort();
    await this.loop;
    this.http.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => {
        timer = setTimeout(r, graceMs);
      }),
    ]);
    clearTimeout(timer);
  }

  private track(p: Promise<void>): void {
    const done = p.catch((e: Error) => this.o.log(`a command failed unexpectedly: ${e.message}`));
    this.running.add(done);
    void done.finally(() => this.running.delete(done));
  }

  /** The server's URL of an agent API path. */
  private url(path: string): URL {
    return new URL(path, this.o.server());
  }

  /** The device's credentials, sent with each request. */
  private get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.o.deviceSecret}` };
  }

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(this.url(path), { ...init, headers: { ...this.auth, ...(init.headers ?? {}) } });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        this.verifier ??= new CommandVerifier(
          await this.o.commandPublicKey(),
          this.o.deviceId,
          join(this.o.dataDir, 'response', 'seen.json'),
          this.o.serverNow,
        );
        this.poll = new AbortController();
        const waitS = this.o.pollWaitS ?? 25;
        const res = await this.http.get(
          this.url(`/api/agent/commands?wait=${waitS}`),
          this.auth,
          (waitS + POLL_MARGIN_S) * 1000,
          this.poll.signal,
        );
        if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
        const body = JSON.parse(res.body) as { commands?: SignedCommand[] };
        attempt = 0;
        // Each command runs on its own: an isolation never waits behind a long package or file search.
        for (const signed of body.commands ?? []) this.track(this.handle(signed));
      } catch (e) {
        if (this.stopped) break;
        const wait = backoffMs(attempt++, 1000, 30_000);
        this.o.log(`command poll failed (${(e as Error).message}); retrying in ${Math.round(wait / 1000)} s`);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  private async handle(signed: SignedCommand): Promise<void> {
    const verifier = this.verifier;
    if (!verifier) return;
    const checked = verifier.check(signed);
    if (!checked.ok) {
      if (checked.why !== 'replayed') {
        this.stats.refused++;
        this.o.log(`refused a command${checked.actionId ? ` (action ${checked.actionId})` : ''}: ${checked.why}`);
      }
      return;
    }
    const c = checked.command;
    if (this.inFlight.has(c.actionId)) return;
    this.inFlight.add(c.actionId);
    try {
      this.stats.received++;
      const start = await this.report(c.actionId, { status: 'InProgress' });
      // Unreachable: the command comes again with the next poll. Refused: cancelled or timed out, never run it.
      if (start === 'unreachable') return;
      verifier.remember(c);
      if (start === 'refused') return;
      this.o.log(`running ${c.type} (action ${c.actionId})`);
      const outcome = await this.execute(c).catch((e: Error): Outcome => ({ failed: true, errorMessage: e.message }));
      if (outcome.failed) this.stats.failed++;
      else this.stats.succeeded++;
      const { failed, ...rest } = outcome;
      await this.report(c.actionId, { ...rest, status: failed ? 'Failed' : 'Succeeded' });
      this.o.log(`${c.type} (action ${c.actionId}) ${failed ? `failed: ${outcome.errorMessage}` : 'succeeded'}`);
    } finally {
      this.inFlight.delete(c.actionId);
    }
  }

  /** Sends a report until the server takes it ('taken'), refuses it for good ('refused') or stays unreachable. */
  private async report(actionId: string, report: CommandReport): Promise<'taken' | 'refused' | 'unreachable'> {
    for (let attempt = 0; attempt < (this.stopped ? 3 : 40); attempt++) {
      try {
        const res = await this.request(`/api/agent/commands/${actionId}/status`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(report),
        });
        if (res.ok) return 'taken';
        if (res.status === 404 || res.status === 409 || res.status === 400) {
          this.o.log(
            `the server refused the ${report.status} report of action ${actionId}: ${(await res.text()).slice(0, 300)}`,
          );
          return 'refused';
        }
      } catch {
        // retried below
      }
      await new Promise((r) => setTimeout(r, backoffMs(attempt, 500, 30_000)));
    }
    return 'unreachable';
  }

  private async upload(actionId: string, name: string, file: string): Promise<void> {
    const size = statSync(file).size;
    const res = await this.request(`/api/agent/commands/${actionId}/files/${name}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    if (!res.ok) throw new Error(`uploading ${name} failed (HTTP ${res.status}): ${(await res.text()).slice(0, 300)}`);
  }

  private async execute(c: AgentCommand): Promise<Outcome> {
    const p = c.params;
    switch (c.type) {
      case 'Isolate': {
        const server = this.o.server();
        const peer = await serverPeer(server);
        const rules = applyIsolation(peer);
        this.isolation.write({ since: new Date().toISOString(), actionId: c.actionId, server, peer });
        return { result: { isolated: true, allowed: peer, rules } };
      }
      case 'Unisolate': {
        const was = removeIsolation();
        this.isolation.clear();
        return { result: { isolated: false, wasIsolated: was } };
      }
      case 'KillProcess':
        return { result: await killProcess(Number(p.processId), String(p.processCreationTime), this.o.clock) };
      case 'StopAndQuarantineFile': {
        const expect = {
          ...(typeof p.sha256 === 'string' ? { sha256: p.sha256 } : {}),
          ...(typeof p.sha1 === 'string' ? { sha1: p.sha1 } : {}),
        };
        return { result: { ...(await this.quarantine.add(String(p.path), c.actionId, expect)) } };
      }
      case 'RestoreQuarantinedFile':
        return { result: { ...this.quarantine.restore(String(p.sha256)) } };
      case 'CollectInvestigationPackage': {
        const work = join(this.o.dataDir, 'response');
        const { file, summary } = await buildInvestigationPackage(work, c.actionId, this.o.clock, this.o.users);
        try {
          await this.upload(c.actionId, 'package.tar.gz', file);
          return { result: { size: statSync(file).size, items: summary } };
        } finally {
          rmSync(join(work, `package-${c.actionId}`), { recursive: true, force: true });
        }
      }
      case 'LiveResponse': {
        const r = await runLiveResponse(c.commands ?? [], {
          clock: this.o.clock,
          users: this.o.users,
          upload: (index, path) => this.upload(c.actionId, `lr-${index}`, path),
        });
        return {
          commands: r.results,
          ...(r.failed ? { failed: true, errorMessage: 'a live-response command failed; the rest did not run' } : {}),
        };
      }
    }
  }
}
