import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

const types: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.ttf': 'font/ttf',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/** A portal host for tests: where the Vigil server itself serves the portal, that server's URL is used as is. */
export interface PortalHost {
  readonly url: string;
  /** True when the Vigil server served the portal at `/`; false when this test's own static handler does. */
  readonly servedByServer: boolean;
  close(): Promise<void>;
}

/** True when `url` answers `/` with an HTML page. */
async function servesHtml(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/`);
    return r.ok && (r.headers.get('content-type') ?? '').includes('text/html');
  } catch {
    return false;
  }
}

/**
 * The server's `/` when it serves the portal; otherwise a small static handler for `dist/` that forwards `/api/`
 * to the server and answers index.html for other paths (what the server will do).
 */
export async function hostPortal(apiUrl: string, dist: string): Promise<PortalHost> {
  if (await servesHtml(apiUrl)) return { url: apiUrl, servedByServer: true, close: async () => {} };
  if (!existsSync(join(dist, 'index.html')))
    throw new Error(`the portal is not built: run npm run build -w @vigil/portal`);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    if (path.startsWith('/api/')) {
      forward(apiUrl, req, res);
      return;
    }
    const file = normalize(join(dist, path));
    const inside = file.startsWith(dist) && existsSync(file) && statSync(file).isFile();
    const chosen = inside ? file : join(dist, 'index.html');
    res.writeHead(200, { 'content-type': types[extname(chosen)] ?? 'application/octet-stream' });
    res.end(readFileSync(chosen));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    servedByServer: false,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function forward(apiUrl: string, req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', async () => {
    try {
      const headers: Record<string, string> = {};
      for (const name of ['authorization', 'content-type', 'accept']) {
        const v = req.headers[name];
        if (typeof v === 'string') headers[name] = v;
      }
      const body = chunks.length ? new Uint8Array(Buffer.concat(chunks)) : undefined;
      const r = await fetch(`${apiUrl}${req.url}`, { method: req.method ?? 'GET', headers, ...(body ? { body } : {}) });
      res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await r.arrayBuffer()));
    } catch (e) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'E2E_PROXY', message: String(e) } }));
    }
  });
}
