import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataDir, LocalAdmin } from '@vigil/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { startAdminSocket } from './admin-socket.js';
import { startDetectionJob } from './detection-job.js';
import { installErrorHandler, installNotFoundHandler } from './errors.js';
import { createMetrics } from './metrics.js';
import { servePortal } from './portal.js';
import { startRetentionJob } from './retention-job.js';
import { actionRoutes } from './routes/action-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { agentCommandRoutes } from './routes/agent-command-routes.js';
import { agentRoutes } from './routes/agent-routes.js';
import { alertRoutes } from './routes/alert-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { detectionRuleRoutes } from './routes/detection-rule-routes.js';
import { defaultHuntingLimits, type HuntingLimits, huntingRoutes } from './routes/hunting-routes.js';
import { indicatorRoutes } from './routes/indicator-routes.js';
import { machineRoutes } from './routes/machine-routes.js';
import { queryRoutes } from './routes/query-routes.js';
import { ruleRoutes } from './routes/rule-routes.js';
import { suppressionRoutes } from './routes/suppression-routes.js';
import { tenantRoutes } from './routes/tenant-routes.js';

/** Options of `vigil server`. */
export interface ServerOptions {
  readonly data: string;
  readonly host?: string;
  readonly port?: number;
  /** Log requests as JSON lines (pino); off in tests. */
  readonly log?: boolean;
  /** How often retention runs (default hourly). */
  readonly retentionEveryMs?: number;
  /** Limits of advanced hunting per tenant (default 100,000 rows, 10 minutes, 4 queries at once). */
  readonly hunting?: Partial<HuntingLimits>;
  /** The only folder KQL externaldata may read (absolute); without it externaldata is refused. */
  readonly externalDataDir?: string;
  /** Where the first admin credential is printed (default stdout). */
  readonly print?: (line: string) => void;
}

/** A running server. */
export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly data: DataDir;
  stop(): Promise<void>;
}

/** What a running server writes into its data dir so that the CLI can find it. */
export interface ServerInfo {
  readonly pid: number;
  readonly url: string;
  readonly socket: string;
}

/** The file that tells the CLI a server holds this data dir. */
export function serverInfoPath(data: string): string {
  return join(resolve(data), 'server.json');
}

/** Reads server.json when the server it names is alive. */
export function runningServerInfo(data: string): ServerInfo | undefined {
  const file = serverInfoPath(data);
  if (!existsSync(file)) return undefined;
  try {
    const info = JSON.parse(readFileSync(file, 'utf8')) as ServerInfo;
    process.kill(info.pid, 0);
    return existsSync(info.socket) ? info : undefined;
  } catch {
    return undefined;
  }
}

function socketPath(root: string): string {
  const inDir = join(root, 'admin.sock');
  // Unix socket paths are limited to about 107 bytes.
  if (Buffer.byteLength(inDir) < 100) return inDir;
  return join(tmpdir(), `vigil-${createHash('sha256').update(root).digest('hex').slice(0, 16)}.sock`);
}

/** Starts the tenant server on a data dir: HTTP API, admin socket and retention. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const root = resolve(options.data);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const running = runningServerInfo(root);
  if (running) throw new Error(`a server (pid ${running.pid}) already serves ${root} at ${running.url}`);
  const data = new DataDir(root);
  if (data.tenantNames().length === 0) {
    const { admin } = await data.createTenant('default');
    print('Created tenant "default" with its first admin (the password is shown only now, and stored hashed):');
    print(`  user: ${admin.name}`);
    print(`  password: ${admin.password}`);
  }
  for (const name of data.tenantNames()) await data.tenant(name);

  const app = Fastify({ logger: options.log ?? false, bodyLimit: 1024 * 1024, forceCloseConnections: true });
  installErrorHandler(app);
  const metrics = createMetrics(data);
  app.get('/healthz', async () => ({ status: 'ok', tenants: data.tenantNames().length }));
  app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  agentRoutes(app, data);
  agentCommandRoutes(app, data);
  actionRoutes(app, data);
  authRoutes(app, data);
  adminRoutes(app, data);
  machineRoutes(app, data);
  tenantRoutes(app, data);
  alertRoutes(app, data);
  indicatorRoutes(app, data);
  detectionRuleRoutes(app, data);
  suppressionRoutes(app, data);
  ruleRoutes(app, data);
  queryRoutes(app, data);
  installNotFoundHandler(app, await servePortal(app));
  huntingRoutes(app, data, {
    ...defaultHuntingLimits,
    ...options.hunting,
    ...(options.externalDataDir ? { externalDataDir: resolve(options.externalDataDir) } : {}),
  });

  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8470 });
  const socket = socketPath(root);
  const admin = await startAdminSocket(
    socket,
    new LocalAdmin(data, options.externalDataDir ? resolve(options.externalDataDir) : undefined),
  );
  const info: ServerInfo = { pid: process.pid, url, socket };
  writeFileSync(serverInfoPath(root), `${JSON.stringify(info)}\n`);
  const stopRetention = startRetentionJob(data, options.retentionEveryMs ?? 3_600_000, app.log);
  const stopDetections = startDetectionJob(data, 60_000, app.log);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      await app.close();
      await admin.close();
      await stopRetention();
      await stopDetections();
      await data.close();
      rmSync(serverInfoPath(root), { force: true });
      rmSync(socket, { force: true });
    })();
    return stopping;
  };
  return { url, app, data, stop };
}
