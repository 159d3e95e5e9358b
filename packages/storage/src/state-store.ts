/** The roles of users and API tokens; finer RBAC comes later. */
export type Role = 'admin' | 'analyst' | 'viewer';

/** The roles, from most to least privileged. */
export const roles = ['admin', 'analyst', 'viewer'] as const satisfies readonly Role[];

/** A person who signs in to the portal or the API. */
export interface UserRecord {
  readonly name: string;
  readonly role: Role;
  /** scrypt hash in `scrypt$N$r$p$salt$hash` form. */
  readonly passwordHash: string;
  readonly createdAt: Date;
  readonly disabled: boolean;
}

/** What a secret authenticates: a script's API token, a signed-in session, or a device enrollment token. */
export type CredentialKind = 'api' | 'session' | 'enroll';

/** A stored secret: only its SHA-256 hash is kept. */
export interface CredentialRecord {
  readonly id: string;
  readonly kind: CredentialKind;
  readonly name: string;
  /** For api and session credentials: the role they grant. */
  readonly role: Role | null;
  /** For sessions: the user who signed in. */
  readonly userName: string | null;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
  /** For enrollment tokens: how many devices may still enroll with it (null: unlimited). */
  readonly usesLeft: number | null;
}

/** An enrolled endpoint. */
export interface DeviceRecord {
  readonly id: string;
  readonly name: string;
  readonly osPlatform: string | null;
  readonly secretHash: string;
  readonly enrollCredentialId: string;
  readonly enrolledAt: Date;
  readonly lastSeenAt: Date | null;
  readonly revokedAt: Date | null;
}

/** Fields of a credential that change after creation. */
export type CredentialPatch = Partial<Pick<CredentialRecord, 'revokedAt' | 'lastUsedAt' | 'usesLeft'>>;

/** Fields of a device that change after enrollment. */
export type DevicePatch = Partial<Pick<DeviceRecord, 'name' | 'osPlatform' | 'lastSeenAt' | 'revokedAt'>>;

/** A query over a collection of documents: equality filters on top-level fields, order, page. */
export interface DocumentQuery {
  /** Field → value (or any of several values); a document matches when every field matches. */
  readonly where?: Readonly<Record<string, string | number | boolean | readonly (string | number)[]>>;
  /** Documents whose array field contains this value (e.g. `mitreTechniques` contains `T1059`). */
  readonly contains?: Readonly<Record<string, string>>;
  /** Order by a top-level field; newest-first style with `desc`. */
  readonly orderBy?: { readonly field: string; readonly desc?: boolean };
  readonly limit?: number;
  readonly offset?: number;
}

/** The state store of one tenant: users, credentials, devices, settings and document collections. */
export interface StateStore {
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
  putUser(user: UserRecord): Promise<void>;
  getUser(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<readonly UserRecord[]>;
  deleteUser(name: string): Promise<boolean>;
  insertCredential(c: CredentialRecord): Promise<void>;
  getCredential(id: string): Promise<CredentialRecord | undefined>;
  listCredentials(kind: CredentialKind): Promise<readonly CredentialRecord[]>;
  updateCredential(id: string, patch: CredentialPatch): Promise<boolean>;
  /** Atomically takes one use of an enrollment credential; false when none is left. */
  takeCredentialUse(id: string): Promise<boolean>;
  insertDevice(d: DeviceRecord): Promise<void>;
  getDevice(id: string): Promise<DeviceRecord | undefined>;
  listDevices(): Promise<readonly DeviceRecord[]>;
  updateDevice(id: string, patch: DevicePatch): Promise<boolean>;
  /** Creates or replaces a JSON document (alerts, indicators, rules, …) in a collection. */
  putDocument(collection: string, id: string, doc: Readonly<Record<string, unknown>>): Promise<void>;
  getDocument(collection: string, id: string): Promise<Record<string, unknown> | undefined>;
  deleteDocument(collection: string, id: string): Promise<boolean>;
  /** The matching documents and how many match in all (before limit/offset). */
  listDocuments(
    collection: string,
    query?: DocumentQuery,
  ): Promise<{ items: Record<string, unknown>[]; total: number }>;
  close(): Promise<void>;
}
