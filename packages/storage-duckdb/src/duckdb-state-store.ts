import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import type {
  CredentialKind,
  CredentialPatch,
  CredentialRecord,
  DevicePatch,
  DeviceRecord,
  DocumentQuery,
  Role,
  StateStore,
  UserRecord,
} from '@vigil/storage';
import { SerialQueue } from './serial-queue.js';

const DDL = [
  'CREATE TABLE IF NOT EXISTS settings (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)',
  `CREATE TABLE IF NOT EXISTS users (name VARCHAR PRIMARY KEY, role VARCHAR NOT NULL, password_hash VARCHAR NOT NULL,
     created_at BIGINT NOT NULL, disabled BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS credentials (id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, name VARCHAR NOT NULL,
     role VARCHAR, user_name VARCHAR, secret_hash VARCHAR NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT,
     revoked_at BIGINT, last_used_at BIGINT, uses_left BIGINT)`,
  `CREATE TABLE IF NOT EXISTS documents (collection VARCHAR NOT NULL, id VARCHAR NOT NULL, doc JSON NOT NULL,
     PRIMARY KEY (collection, id))`,
  `CREATE TABLE IF NOT EXISTS devices (id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, os_platform VARCHAR,
     secret_hash VARCHAR NOT NULL, enroll_credential_id VARCHAR NOT NULL, enrolled_at BIGINT NOT NULL,
     last_seen_at BIGINT, revoked_at BIGINT)`,
];

type Json = Record<string, unknown>;

const time = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(Number(v)));
const ms = (d: Date | null | undefined): number | null => (d ? d.getTime() : null);

function toUser(r: Json): UserRecord {
  return {
    name: String(r.name),
    role: r.role as Role,
    passwordHash: String(r.password_hash),
    createdAt: new Date(Number(r.created_at)),
    disabled: Boolean(r.disabled),
  };
}

function toCredential(r: Json): CredentialRecord {
  return {
    id: String(r.id),
    kind: r.kind as CredentialKind,
    name: String(r.name),
    role: (r.role ?? null) as Role | null,
    userName: (r.user_name ?? null) as string | null,
    secretHash: String(r.secret_hash),
    createdAt: new Date(Number(r.created_at)),
    expiresAt: time(r.expires_at),
    revokedAt: time(r.revoked_at),
    lastUsedAt: time(r.last_used_at),
    usesLeft: r.uses_left === null || r.uses_left === undefined ? null : Number(r.uses_left),
  };
}

function toDevice(r: Json): DeviceRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    osPlatform: (r.os_platform ?? null) as string | null,
    secretHash: String(r.secret_hash),
    enrollCredentialId: String(r.enroll_credential_id),
    enrolledAt: new Date(Number(r.enrolled_at)),
    lastSeenAt: time(r.last_seen_at),
    revokedAt: time(r.revoked_at),
  };
}

/** Users, credentials, devices and settings of one tenant in a DuckDB file. */
export class DuckdbStateStore implements StateStore {
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly conn: DuckDBConnection,
  ) {}

  /** Opens (and creates) the state database. */
  static async open(file: string): Promise<DuckdbStateStore> {
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    for (const sql of DDL) await conn.run(sql);
    return new DuckdbStateStore(instance, conn);
  }

  private rows(sql: string, values: DuckDBValue[] = []): Promise<Json[]> {
    return this.queue.run(async () => (await this.conn.runAndReadAll(sql, values)).getRowObjectsJson() as Json[]);
  }

  private exec(sql: string, values: DuckDBValue[] = []): Promise<number> {
    return this.queue.run(async () => Number((await this.conn.run(sql, values)).rowsChanged));
  }

  async getSetting(key: string): Promise<string | undefined> {
    const r = await this.rows('SELECT value FROM settings WHERE key = $1', [key]);
    return r[0] ? String(r[0].value) : undefined;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.exec('INSERT OR REPLACE INTO settings VALUES ($1, $2)', [key, value]);
  }

  async putUser(u: UserRecord): Promise<void> {
    await this.exec('INSERT OR REPLACE INTO users VALUES ($1, $2, $3, $4, $5)', [
      u.name,
      u.role,
      u.passwordHash,
      u.createdAt.getTime(),
      u.disabled,
    ]);
  }

  async getUser(name: string): Promise<UserRecord | undefined> {
    const r = await this.rows('SELECT * FROM users WHERE name = $1', [name]);
    return r[0] ? toUser(r[0]) : undefined;
  }

  async listUsers(): Promise<readonly UserRecord[]> {
    return (await this.rows('SELECT * FROM users ORDER BY name')).map(toUser);
  }

  async deleteUser(name: string): Promise<boolean> {
    return (await this.exec('DELETE FROM users WHERE name = $1', [name])) > 0;
  }

  async insertCredential(c: CredentialRecord): Promise<void> {
    await this.exec('INSERT INTO credentials VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)', [
      c.id,
      c.kind,
      c.name,
      c.role,
      c.userName,
      c.secretHash,
      c.createdAt.getTime(),
      ms(c.expiresAt),
      ms(c.revokedAt),
      ms(c.lastUsedAt),
      c.usesLeft,
    ]);
  }

  async getCredential(id: string): Promise<CredentialRecord | undefined> {
    const r = await this.rows('SELECT * FROM credentials WHERE id = $1', [id]);
    return r[0] ? toCredential(r[0]) : undefined;
  }

  async listCredentials(kind: CredentialKind): Promise<readonly CredentialRecord[]> {
    return (await this.rows('SELECT * FROM credentials WHERE kind = $1 ORDER BY created_at', [kind])).map(toCredential);
  }

  async updateCredential(id: string, patch: CredentialPatch): Promise<boolean> {
    const sets: string[] = [];
    const values: DuckDBValue[] = [];
    const add = (col: string, v: DuckDBValue) => {
      values.push(v);
      sets.push(`${col} = $${values.length}`);
    };
    if (patch.revokedAt !== undefined) add('revoked_at', ms(patch.revokedAt));
    if (patch.lastUsedAt !== undefined) add('last_used_at', ms(patch.lastUsedAt));
    if (patch.usesLeft !== undefined) add('uses_left', patch.usesLeft);
    if (sets.length === 0) return (await this.getCredential(id)) !== undefined;
    values.push(id);
    return (await this.exec(`UPDATE credentials SET ${sets.join(', ')} WHERE id = $${values.length}`, values)) > 0;
  }

  async takeCredentialUse(id: string): Promise<boolean> {
    const c = await this.getCredential(id);
    if (!c) return false;
    if (c.usesLeft === null) return true;
    return (
      (await this.exec('UPDATE credentials SET uses_left = uses_left - 1 WHERE id = $1 AND uses_left > 0', [id])) > 0
    );
  }

  async insertDevice(d: DeviceRecord): Promise<void> {
    await this.exec('INSERT INTO devices VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      d.id,
      d.name,
      d.osPlatform,
      d.secretHash,
      d.enrollCredentialId,
      d.enrolledAt.getTime(),
      ms(d.lastSeenAt),
      ms(d.revokedAt),
    ]);
  }

  async getDevice(id: string): Promise<DeviceRecord | undefined> {
    const r = await this.rows('SELECT * FROM devices WHERE id = $1', [id]);
    return r[0] ? toDevice(r[0]) : undefined;
  }

  async listDevices(): Promise<readonly DeviceRecord[]> {
    return (await this.rows('SELECT * FROM devices ORDER BY enrolled_at')).map(toDevice);
  }

  async updateDevice(id: string, patch: DevicePatch): Promise<boolean> {
    const sets: string[] = [];
    const values: DuckDBValue[] = [];
    const add = (col: string, v: DuckDBValue) => {
      values.push(v);
      sets.push(`${col} = $${values.length}`);
    };
    if (patch.name !== undefined) add('name', patch.name);
    if (patch.osPlatform !== undefined) add('os_platform', patch.osPlatform);
    if (patch.lastSeenAt !== undefined) add('last_seen_at', ms(patch.lastSeenAt));
    if (patch.revokedAt !== undefined) add('revoked_at', ms(patch.revokedAt));
    if (sets.length === 0) return (await this.getDevice(id)) !== undefined;
    values.push(id);
    return (await this.exec(`UPDATE devices SET ${sets.join(', ')} WHERE id = $${values.length}`, values)) > 0;
  }

  async putDocument(collection: string, id: string, doc: Readonly<Record<string, unknown>>): Promise<void> {
    await this.exec('INSERT OR REPLACE INTO documents VALUES ($1, $2, $3)', [collection, id, JSON.stringify(doc)]);
  }

  async getDocument(collection: string, id: string): Promise<Record<string, unknown> | undefined> {
    const r = await this.rows('SELECT doc FROM documents WHERE collection = $1 AND id = $2', [collection, id]);
    return r[0] ? (JSON.parse(String(r[0].doc)) as Record<string, unknown>) : undefined;
  }

  async deleteDocument(collection: string, id: string): Promise<boolean> {
    return (await this.exec('DELETE FROM documents WHERE collection = $1 AND id = $2', [collection, id])) > 0;
  }

  async listDocuments(
    collection: string,
    query: DocumentQuery = {},
  ): Promise<{ items: Record<string, unknown>[]; total: number }> {
    const values: DuckDBValue[] = [collection];
    const conds = ['collection = $1'];
    const bind = (v: DuckDBValue) => {
      values.push(v);
      return `$${values.length}`;
    };
    const field = (name: string) => `json_extract_string(doc, ${bind(`$."${name.replaceAll('"', '')}"`)})`;
    for (const [name, v] of Object.entries(query.where ?? {})) {
      const list = Array.isArray(v) ? v : [v];
      if (list.length === 0) return { items: [], total: 0 };
      conds.push(`${field(name)} IN (${list.map((x) => bind(String(x))).join(', ')})`);
    }
    for (const [name, v] of Object.entries(query.contains ?? {})) {
      const path = bind(`$."${name.replaceAll('"', '')}"`);
      conds.push(`list_contains(CAST(json_extract_string(doc, ${path} || '[*]') AS VARCHAR[]), ${bind(v)})`);
    }
    const where = conds.join(' AND ');
    const total = Number((await this.rows(`SELECT count(*) AS n FROM documents WHERE ${where}`, values))[0]?.n ?? 0);
    const order = query.orderBy
      ? `ORDER BY ${field(query.orderBy.field)} ${query.orderBy.desc ? 'DESC' : 'ASC'}, id`
      : 'ORDER BY id';
    const limit = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
    const offset = query.offset !== undefined ? ` OFFSET ${Math.max(0, Math.floor(query.offset))}` : '';
    const r = await this.rows(`SELECT doc FROM documents WHERE ${where} ${order}${limit}${offset}`, values);
    return { items: r.map((x) => JSON.parse(String(x.doc)) as Record<string, unknown>), total };
  }

  async close(): Promise<void> {
    await this.queue.run(async () => {
      this.conn.closeSync();
      this.instance.closeSync();
    });
  }
}
