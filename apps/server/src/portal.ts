import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The built portal (apps/portal/dist), found by path: the server does not import the portal app. */
export const portalDir = fileURLToPath(new URL('../../portal/dist/', import.meta.url));

/**
 * Serves the portal's files at `/` when it has been built (the not-found handler then answers deep links with
 * index.html); returns whether it did.
 */
export async function servePortal(app: FastifyInstance, dir = portalDir): Promise<boolean> {
  if (!existsSync(`${dir}index.html`)) return false;
  await app.register(fastifyStatic, { root: dir, index: ['index.html'], wildcard: false });
  return true;
}
