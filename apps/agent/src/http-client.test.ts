import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from './http-client.js';

describe('HttpClient', () => {
  let server: http.Server;
  let base: string;
  const seen: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        if (req.url === '/silent') return; // never answers
        res.setHeader('retry-after', '7');
        res.writeHead(req.url === '/busy' ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ got: Buffer.concat(chunks).length }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('posts a body with its headers and returns status, body and headers, over one kept connection', async () => {
    const p = new HttpClient();
    const body = Buffer.alloc(300_000, 7);
    const a = await p.post(new URL('/ingest', base), { 'x-batch-id': 'b.1' }, body, 5000);
    const b = await p.post(new URL('/busy', base), { 'x-batch-id': 'b.2' }, Buffer.from('x'), 5000);
    p.close();
    expect([a.status, a.body, a.header('Retry-After'), a.header('missing')]).toEqual([
      200,
      '{"got":300000}',
      '7',
      undefined,
    ]);
    expect(b.status).toBe(503);
    expect(seen.at(-2)?.headers).toMatchObject({
      'x-batch-id': 'b.1',
      'content-length': '300000',
      connection: 'keep-alive',
    });
    expect(seen.at(-1)?.body).toBe('x');
  });

  it('names what went wrong: no answer in time, nobody listening, a protocol it does not speak', async () => {
    const p = new HttpClient();
    await expect(p.post(new URL('/silent', base), {}, Buffer.from('x'), 200)).rejects.toMatchObject({
      name: 'TimeoutError',
      message: `no answer from ${base} within 200 ms`,
    });
    await expect(p.post(new URL('http://127.0.0.1:1/x'), {}, Buffer.from('x'), 2000)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    await expect(p.post(new URL('ftp://example.org/x'), {}, Buffer.from('x'), 2000)).rejects.toThrow(
      'unsupported protocol ftp: in ftp://example.org/x',
    );
    p.close();
  });

  it('gets with its headers, and a signal aborts a request that waits', async () => {
    const p = new HttpClient();
    const a = await p.get(new URL('/commands?wait=1', base), { authorization: 'Bearer t' }, 5000);
    expect([a.status, a.body]).toEqual([200, '{"got":0}']);
    expect(seen.at(-1)?.headers).toMatchObject({ authorization: 'Bearer t', connection: 'keep-alive' });
    expect(seen.at(-1)?.headers['content-length']).toBeUndefined();
    const stop = new AbortController();
    const waiting = p.get(new URL('/silent', base), {}, 60_000, stop.signal);
    setTimeout(() => stop.abort(), 50);
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    p.close();
  });
});
