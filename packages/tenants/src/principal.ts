import type { Role } from '@vigil/storage';

/** Who made a request, once authenticated: a user session, an API token or an enrolled device. */
export type Principal =
  | {
      readonly kind: 'user';
      readonly tenant: string;
      readonly name: string;
      readonly role: Role;
      readonly credentialId: string;
    }
  | {
      readonly kind: 'api';
      readonly tenant: string;
      readonly name: string;
      readonly role: Role;
      readonly credentialId: string;
    }
  | { readonly kind: 'device'; readonly tenant: string; readonly deviceId: string; readonly deviceName: string };

const RANK: Readonly<Record<Role, number>> = { admin: 3, analyst: 2, viewer: 1 };

/** True when `role` grants at least what `needed` grants. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
