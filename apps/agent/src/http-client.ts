import http from 'node:http';
import https from 'node:https';

/** A server's answer. */
export interface HttpResponse {
  readonly status: number;
  readonly body: string;
  /** A response header (the first value when it repeats). */
  header(name: string): string | undefined;
}

/**
 * Requests through node:http(s) with keep-alive connections: the uploader's POSTs (its hot path) and the command
 * channel's long poll. fetch (undici with web streams and abort signals) cost about 1 ms of CPU more per request,
 * measured on 300 KB bodies, and while a request waits undici's timer wakes the process every 500 ms (the long poll
 * waits all the time: 52 wake-ups in the agent benchmark's first run). The other agent requests (enrollment, command
 * reports) are rare and keep fetch.
 */
export class HttpClient {
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 2 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 2 }),
  };

  /** Rejects on a network error, or when no whole answer came within timeoutMs (a TimeoutError). */
  post(url: URL, headers: Readonly<Record<string, string>>, body: Buffer, timeoutMs: number): Promise<HttpResponse> {
    return this.send('POST', url, { ...headers, 'content-length': String(body.length) }, body, timeoutMs);
  }

  /** As post(), without a body; `signal` aborts the request (an AbortError). */
  get(
    url: URL,
    headers: Readonly<Record<string, string>>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    return this.send('GET', url, headers, undefined, timeoutMs, signal);
  }

  private send(
    method: 'GET' | 'POST',
    url: URL,
    headers: Readonly<Record<string, string>>,
    body: Buffer | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const protocol = url.protocol === 'https:' || url.protocol === 'http:' ? url.protocol : undefined;
      if (!protocol) {
        reject(new TypeError(`unsupported protocol ${url.protocol} in ${url.href}`));
        return;
      }
      const req = (protocol === 'https:' ? https : http).request(
        url,
        { method, agent: this.agents[protocol], headers, ...(signal ? { signal } : {}) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            clearTimeout(timer);
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              header: (name) => {
                const v = res.headers[name.toLowerCase()];
                return Array.isArray(v) ? v[0] : v;
              },
            });
          });
        },
      );
      const timer = setTimeout(() => {
        const e = new Error(`no answer from ${url.origin} within ${timeoutMs} ms`);
        e.name = 'TimeoutError';
        req.destroy(e);
      }, timeoutMs);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.end(body);
    });
  }

  /** Closes the kept connections. */
  close(): void {
    for (const a of Object.values(this.agents)) a.destroy();
  }
}
