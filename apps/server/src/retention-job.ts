import type { DataDir } from '@vigil/runtime';
import type { FastifyBaseLogger } from 'fastify';

/** Enforces every tenant's retention now and then every `everyMs`; returns a function that stops it. */
export function startRetentionJob(data: DataDir, everyMs: number, log: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running.then(async () => {
      for (const t of await data.openTenants()) {
        try {
          const deleted = await t.enforceRetention();
          if (deleted > 0) log.info({ tenant: t.name, deleted }, 'retention deleted old telemetry');
        } catch (e) {
          log.error({ tenant: t.name, err: e }, 'retention failed');
        }
      }
    });
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
