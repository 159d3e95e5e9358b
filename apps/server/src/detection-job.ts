import type { DataDir } from '@vigil/runtime';
import type { FastifyBaseLogger } from 'fastify';

/** Runs due custom detections of every tenant every `everyMs`; returns a function that stops it. */
export function startDetectionJob(data: DataDir, everyMs: number, log: FastifyBaseLogger): () => Promise<void> {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      for (const t of await data.openTenants()) {
        try {
          const n = await t.runDueDetectionRules();
          if (n > 0) log.info({ tenant: t.name, alerts: n }, 'custom detections raised alerts');
        } catch (e) {
          log.error({ tenant: t.name, err: e }, 'custom detections failed');
        }
      }
    });
  };
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
