import type { CredentialRecord, DeviceRecord, UserRecord } from '@vigil/storage';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A user as the API shows it (never the password hash). */
export function userView(u: UserRecord) {
  return { name: u.name, role: u.role, createdAt: iso(u.createdAt), disabled: u.disabled };
}

/** A credential as the API shows it (never the secret or its hash). */
export function credentialView(c: CredentialRecord) {
  return {
    id: c.id,
    name: c.name,
    ...(c.role ? { role: c.role } : {}),
    createdAt: iso(c.createdAt),
    expiresAt: iso(c.expiresAt),
    revokedAt: iso(c.revokedAt),
    lastUsedAt: iso(c.lastUsedAt),
    ...(c.kind === 'enroll' ? { usesLeft: c.usesLeft } : {}),
  };
}

/** Defender marks a device Inactive when it has sent nothing for 7 days. */
const INACTIVE_MS = 7 * 24 * 3_600_000;
/** An agent polls for commands every 25 s and sends device state every 15 minutes: silence for an hour is a problem. */
const IMPAIRED_MS = 3_600_000;

/** Defender's healthStatus from how long ago the device last talked to the server. */
export function healthStatus(d: DeviceRecord, now: Date): 'Active' | 'Inactive' | 'ImpairedCommunication' {
  if (d.revokedAt || !d.lastSeenAt) return 'Inactive';
  const silent = now.getTime() - d.lastSeenAt.getTime();
  if (silent > INACTIVE_MS) return 'Inactive';
  return silent > IMPAIRED_MS ? 'ImpairedCommunication' : 'Active';
}

/** A device in the shape of Defender's machine entity, as far as Vigil knows it. */
export function machineView(d: DeviceRecord, isolationState: string, now = new Date()) {
  return {
    id: d.id,
    computerDnsName: d.name,
    osPlatform: d.osPlatform,
    firstSeen: iso(d.enrolledAt),
    lastSeen: iso(d.lastSeenAt),
    onboardingStatus: d.revokedAt ? 'Offboarded' : 'Onboarded',
    healthStatus: healthStatus(d, now),
    offboardedAt: iso(d.revokedAt),
    isolationState,
  };
}
