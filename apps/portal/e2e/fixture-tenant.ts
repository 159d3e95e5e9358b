import { fixtureDevices, fixtureRows, ndjsonBatch } from './fixture-data.js';

/** What the fixture made: the admin session and the enrolled devices. */
export interface Fixture {
  readonly token: string;
  readonly devices: readonly { readonly id: string; readonly hostname: string; readonly secret: string }[];
  readonly rowsPerDevice: number;
}

async function call<T>(url: string, init: RequestInit): Promise<T> {
  const r = await fetch(url, init);
  const text = await r.text();
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

const json = (token: string | undefined, body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

/** Fills the default tenant through the real API: enrolls the fixture devices and sends their events. */
export async function loadFixture(
  baseUrl: string,
  username: string,
  password: string,
  now = new Date(),
): Promise<Fixture> {
  const { token } = await call<{ token: string }>(
    `${baseUrl}/api/auth/login`,
    json(undefined, { tenant: 'default', username, password }),
  );
  const enroll = await call<{ token: string }>(
    `${baseUrl}/api/enrollment-tokens`,
    json(token, { name: 'e2e', maxUses: 10 }),
  );
  const devices: { id: string; hostname: string; secret: string }[] = [];
  const rowsPerDevice = 120;
  for (const [i, d] of fixtureDevices.entries()) {
    const device = await call<{ deviceId: string; deviceSecret: string }>(
      `${baseUrl}/api/agent/enroll`,
      json(undefined, { token: enroll.token, hostname: d.hostname, osPlatform: d.osPlatform }),
    );
    await call(`${baseUrl}/api/agent/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${device.deviceSecret}`,
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
        'x-batch-id': `e2e-${i}`,
      },
      body: new Uint8Array(ndjsonBatch(fixtureRows(i, now, rowsPerDevice))),
    });
    devices.push({ id: device.deviceId, hostname: d.hostname, secret: device.deviceSecret });
  }
  return { token, devices, rowsPerDevice };
}

/** Sends event rows (NDJSON lines) as one ingest batch of a device. */
export async function ingestRows(baseUrl: string, secret: string, batchId: string, rows: readonly string[]) {
  return call(`${baseUrl}/api/agent/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secret}`,
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
      'x-batch-id': batchId,
    },
    body: new Uint8Array(ndjsonBatch(rows)),
  });
}

/** An authenticated JSON call of the API as the fixture's admin. */
export function apiCall<T>(baseUrl: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  return call<T>(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
}
