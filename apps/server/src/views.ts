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

/** A device in the shape of Defender's machine entity, as far as Vigil knows it. */
export function machineView(d: DeviceRecord, isolationState: string) {
  return {
    id: d.id,
    computerDnsName: d.name,
    osPlatform: d.osPlatform,
    firstSeen: iso(d.enrolledAt),
    lastSeen: iso(d.lastSeenAt),
    onboardingStatus: d.revokedAt ? 'Offboarded' : 'Onboarded',
    offboardedAt: iso(d.revokedAt),
    isolationState,
  };
}
