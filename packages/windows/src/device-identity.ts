import { sha1Hex } from './sha1-hex.js';

/** The DeviceId and DeviceName columns of a device, derived from the Computer field of its events. */
export interface DeviceIdentity {
  readonly DeviceId: string;
  readonly DeviceName: string;
}

const cache = new Map<string, DeviceIdentity>();
const CACHE_LIMIT = 10_000;

/**
 * DeviceName is the Computer field in lower case (Defender shows the FQDN in lower case). DeviceId is the lower-case
 * hex SHA-1 of that lower-cased name: 40 hex digits like Defender's ids, stable across imports and machines, so the
 * same computer gets the same id whether its events come from an EVTX file, a JSON export or a live agent.
 */
export function deviceIdentity(computer: string): DeviceIdentity {
  const name = computer.trim().toLowerCase();
  const hit = cache.get(name);
  if (hit !== undefined) return hit;
  const identity = { DeviceId: sha1Hex(name), DeviceName: name };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(name, identity);
  return identity;
}
