import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The device identity the server gave at enrollment, kept in DATA/agent.json (mode 0600). */
export interface DeviceIdentity {
  readonly deviceId: string;
  readonly deviceSecret: string;
  readonly tenant: string;
  readonly server: string;
  readonly enrolledAt: string;
  /** The tenant's Ed25519 key (SPKI PEM) that signs response commands, pinned at enrollment. */
  readonly commandPublicKey?: string;
}

/** Where the identity lives. */
export function identityPath(dataDir: string): string {
  return join(dataDir, 'agent.json');
}

/** Reads a stored identity, when the agent has enrolled before. */
export function readIdentity(dataDir: string): DeviceIdentity | undefined {
  const file = identityPath(dataDir);
  if (!existsSync(file)) return undefined;
  const id = JSON.parse(readFileSync(file, 'utf8')) as DeviceIdentity;
  return id.deviceId && id.deviceSecret ? id : undefined;
}

function writeIdentity(dataDir: string, id: DeviceIdentity): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = identityPath(dataDir);
  writeFileSync(`${file}.tmp`, `${JSON.stringify(id, null, 2)}\n`, { mode: 0o600 });
  chmodSync(`${file}.tmp`, 0o600);
  renameSync(`${file}.tmp`, file);
}

/** Enrolls once: returns the stored identity, or enrolls with the token and stores the answer. */
export async function enrollOnce(options: {
  readonly dataDir: string;
  readonly server: string;
  readonly enrollToken?: string;
  readonly hostname: string;
}): Promise<{ identity: DeviceIdentity; enrolled: boolean }> {
  const stored = readIdentity(options.dataDir);
  if (stored) return { identity: stored, enrolled: false };
  if (!options.enrollToken) {
    throw new Error(`not enrolled yet (no ${identityPath(options.dataDir)}): pass --enroll-token`);
  }
  const res = await fetch(new URL('/api/agent/enroll', options.server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: options.enrollToken, hostname: options.hostname, osPlatform: 'Linux' }),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`enrollment failed (HTTP ${res.status}): ${text}`);
  const body = JSON.parse(text) as {
    deviceId: string;
    deviceSecret: string;
    tenant: string;
    commandPublicKey?: string;
  };
  const identity: DeviceIdentity = {
    deviceId: body.deviceId,
    deviceSecret: body.deviceSecret,
    tenant: body.tenant,
    server: options.server,
    enrolledAt: new Date().toISOString(),
    ...(body.commandPublicKey ? { commandPublicKey: body.commandPublicKey } : {}),
  };
  writeIdentity(options.dataDir, identity);
  return { identity, enrolled: true };
}

/**
 * The command-signing key of an identity enrolled before the server handed it out: asked once over the device's
 * authenticated channel and pinned from then on.
 */
export async function pinCommandKey(
  dataDir: string,
  identity: DeviceIdentity,
  server: string,
): Promise<DeviceIdentity> {
  if (identity.commandPublicKey) return identity;
  const res = await fetch(new URL('/api/agent/config', server), {
    headers: { authorization: `Bearer ${identity.deviceSecret}` },
  });
  if (!res.ok)
    throw new Error(`could not get the command key (HTTP ${res.status}): ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { commandPublicKey?: string };
  if (!body.commandPublicKey) throw new Error('the server sent no command key');
  const next = { ...identity, commandPublicKey: body.commandPublicKey };
  writeIdentity(dataDir, next);
  return next;
}
