import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { installErrorHandler, installNotFoundHandler } from './errors.js';
import { servePortal } from './portal.js';

describe('portal serving', () => {
  const dir = `${mkdtempSync(join(tmpdir(), 'vigil-portal-'))}/`;
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Vigil</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves the files, index.html for deep links, and JSON 404s for the API', async () => {
    const app = Fastify();
    installErrorHandler(app);
    installNotFoundHandler(app, await servePortal(app, dir));
    expect((await app.inject('/')).body).toContain('<title>Vigil</title>');
    expect((await app.inject('/app.js')).body).toBe('console.log(1)');
    const deep = await app.inject('/devices/abc?x=1');
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('<title>Vigil</title>');
    const api = await app.inject('/api/nope');
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('API_NOT_FOUND');
    await app.close();
  });

  it('does nothing when the portal is not built', async () => {
    const app = Fastify();
    expect(await servePortal(app, join(dir, 'missing/'))).toBe(false);
    installNotFoundHandler(app, false);
    expect((await app.inject('/')).statusCode).toBe(404);
    await app.close();
  });
});
