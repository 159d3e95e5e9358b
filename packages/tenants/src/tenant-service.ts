import { type Clock, systemClock, VigilError } from '@vigil/base';
import type { CredentialRecord, DeviceRecord, Role, StateStore, UserRecord } from '@vigil/storage';
import type { Principal } from './principal.js';
import {
  formatToken,
  hashPassword,
  hashSecret,
  newId,
  newPassword,
  newSecret,
  parseToken,
  secretMatches,
  verifyPassword,
} from './secrets.js';

const SESSION_HOURS = 12;
const LAST_SEEN_EVERY_MS = 60_000;

const unauthorized = (message: string) => new VigilError('AUTH_INVALID', message, { status: 401 });

/** A credential just created: its record and the secret text, shown once. */
export interface IssuedCredential {
  readonly record: CredentialRecord;
  readonly token: string;
}

/** Options of a new enrollment token. */
export interface EnrollTokenOptions {
  readonly name?: string;
  readonly expiresInHours?: number;
  readonly maxUses?: number;
}

/** Users, tokens, enrollment and device identity of one tenant; every secret is stored hashed. */
export class TenantService {
  private readonly credentials = new Map<string, CredentialRecord>();
  private readonly devices = new Map<string, DeviceRecord>();

  constructor(
    readonly tenant: string,
    private readonly state: StateStore,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Creates the first admin when the tenant has no user yet; returns its password once. */
  async ensureAdmin(name = 'admin'): Promise<{ name: string; password: string } | undefined> {
    if ((await this.state.listUsers()).length > 0) return undefined;
    const password = newPassword();
    await this.putUser(name, 'admin', password);
    return { name, password };
  }

  /** Creates or replaces a user; returns the password (generated when none is given). */
  async putUser(name: string, role: Role, password = newPassword()): Promise<string> {
    if (!/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
      throw new VigilError('USER_BAD_NAME', `"${name}" is not a valid user name`, {
        hint: 'use 1 to 64 letters, digits, dots, underscores, @ or dashes',
      });
    }
    if (password.length < 12) throw new VigilError('USER_WEAK_PASSWORD', 'passwords need at least 12 characters');
    const existing = await this.state.getUser(name);
    await this.state.putUser({
      name,
      role,
      passwordHash: await hashPassword(password),
      createdAt: existing?.createdAt ?? this.clock.now(),
      disabled: false,
    });
    return password;
  }

  listUsers(): Promise<readonly UserRecord[]> {
    return this.state.listUsers();
  }

  async deleteUser(name: string): Promise<boolean> {
    const removed = await this.state.deleteUser(name);
    for (const c of await this.state.listCredentials('session')) {
      if (c.userName === name && !c.revokedAt) await this.revokeCredential(c.id);
    }
    return removed;
  }

  /** Signs a user in and returns a session token valid for 12 hours. */
  async login(name: string, password: string): Promise<IssuedCredential> {
    const user = await this.state.getUser(name);
    const okay = user && !user.disabled && (await verifyPassword(password, user.passwordHash));
    if (!user || !okay) throw unauthorized('wrong user name or password');
    return this.issue('session', `session of ${name}`, user.role, name, SESSION_HOURS, null);
  }

  /** Creates an API token for scripts. */
  createApiToken(name: string, role: Role, expiresInHours?: number): Promise<IssuedCredential> {
    return this.issue('api', name, role, null, expiresInHours, null);
  }

  /** Creates an enrollment token for devices. */
  createEnrollToken(o: EnrollTokenOptions = {}): Promise<IssuedCredential> {
    return this.issue('enroll', o.name ?? 'enrollment', null, null, o.expiresInHours, o.maxUses ?? null);
  }

  private async issue(
    kind: 'api' | 'session' | 'enroll',
    name: string,
    role: Role | null,
    userName: string | null,
    expiresInHours: number | undefined,
    usesLeft: number | null,
  ): Promise<IssuedCredential> {
    const id = newId();
    const secret = newSecret();
    const now = this.clock.now();
    const record: CredentialRecord = {
      id,
      kind,
      name,
      role,
      userName,
      secretHash: hashSecret(secret),
      createdAt: now,
      expiresAt: expiresInHours === undefined ? null : new Date(now.getTime() + expiresInHours * 3_600_000),
      revokedAt: null,
      lastUsedAt: null,
      usesLeft,
    };
    await this.state.insertCredential(record);
    return { record, token: formatToken(kind, this.tenant, id, secret) };
  }

  listCredentials(kind: 'api' | 'session' | 'enroll'): Promise<readonly CredentialRecord[]> {
    return this.state.listCredentials(kind);
  }

  /** Revokes a credential; it stops working at once. */
  async revokeCredential(id: string): Promise<boolean> {
    const done = await this.state.updateCredential(id, { revokedAt: this.clock.now() });
    this.credentials.delete(id);
    return done;
  }

  /** Registers a device with an enrollment token and returns its id and secret. */
  async enroll(
    token: string,
    device: { hostname: string; osPlatform?: string },
  ): Promise<{ deviceId: string; deviceSecret: string; record: DeviceRecord }> {
    const parsed = parseToken(token);
    if (parsed?.kind !== 'enroll' || parsed.tenant !== this.tenant) {
      throw unauthorized('not an enrollment token of this tenant');
    }
    const cred = await this.checkCredential(parsed.id, parsed.secret, 'enrollment token');
    if (!(await this.state.takeCredentialUse(cred.id))) {
      throw unauthorized('the enrollment token has no uses left');
    }
    const deviceId = newId(20);
    const secret = newSecret();
    const record: DeviceRecord = {
      id: deviceId,
      name: device.hostname,
      osPlatform: device.osPlatform ?? null,
      secretHash: hashSecret(secret),
      enrollCredentialId: cred.id,
      enrolledAt: this.clock.now(),
      lastSeenAt: this.clock.now(),
      revokedAt: null,
    };
    await this.state.insertDevice(record);
    return { deviceId, deviceSecret: formatToken('device', this.tenant, deviceId, secret), record };
  }

  listDevices(): Promise<readonly DeviceRecord[]> {
    return this.state.listDevices();
  }

  getDevice(id: string): Promise<DeviceRecord | undefined> {
    return this.state.getDevice(id);
  }

  /** Revokes a device (offboarding): its secret stops working at once. */
  async revokeDevice(id: string): Promise<boolean> {
    const done = await this.state.updateDevice(id, { revokedAt: this.clock.now() });
    this.devices.delete(id);
    return done;
  }

  /** Authenticates a bearer token of this tenant. */
  async authenticate(token: string): Promise<Principal> {
    const parsed = parseToken(token);
    if (!parsed || parsed.tenant !== this.tenant) throw unauthorized('unknown token');
    if (parsed.kind === 'device') return this.authenticateDevice(parsed.id, parsed.secret);
    if (parsed.kind === 'enroll') throw unauthorized('an enrollment token only serves POST /api/agent/enroll');
    const cred = await this.checkCredential(parsed.id, parsed.secret, 'token');
    if (cred.kind !== parsed.kind || !cred.role) throw unauthorized('unknown token');
    if (cred.kind === 'session') {
      const user = await this.state.getUser(cred.userName ?? '');
      if (!user || user.disabled) throw unauthorized('the user of this session no longer exists');
      return { kind: 'user', tenant: this.tenant, name: user.name, role: user.role, credentialId: cred.id };
    }
    return { kind: 'api', tenant: this.tenant, name: cred.name, role: cred.role, credentialId: cred.id };
  }

  private async checkCredential(id: string, secret: string, what: string): Promise<CredentialRecord> {
    let cred = this.credentials.get(id);
    if (!cred) {
      cred = await this.state.getCredential(id);
      if (cred) this.credentials.set(id, cred);
    }
    if (!cred || !secretMatches(secret, cred.secretHash)) throw unauthorized(`unknown ${what}`);
    if (cred.revokedAt) throw unauthorized(`the ${what} was revoked`);
    if (cred.expiresAt && cred.expiresAt.getTime() <= this.clock.now().getTime()) {
      throw unauthorized(`the ${what} expired at ${cred.expiresAt.toISOString()}`);
    }
    return cred;
  }

  private async authenticateDevice(id: string, secret: string): Promise<Principal> {
    let device = this.devices.get(id);
    if (!device) {
      device = await this.state.getDevice(id);
      if (device) this.devices.set(id, device);
    }
    if (!device || !secretMatches(secret, device.secretHash)) throw unauthorized('unknown device');
    if (device.revokedAt) throw unauthorized('the device was offboarded');
    const now = this.clock.now();
    if (!device.lastSeenAt || now.getTime() - device.lastSeenAt.getTime() > LAST_SEEN_EVERY_MS) {
      device = { ...device, lastSeenAt: now };
      this.devices.set(id, device);
      await this.state.updateDevice(id, { lastSeenAt: now });
    }
    return { kind: 'device', tenant: this.tenant, deviceId: device.id, deviceName: device.name };
  }
}
