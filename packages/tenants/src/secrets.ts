import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** What a bearer token is: an API token, a signed-in session, an enrollment token or a device secret. */
export type TokenKind = 'api' | 'session' | 'enroll' | 'device';

const PREFIX: Readonly<Record<TokenKind, string>> = { api: 'vga', session: 'vgs', enroll: 'vge', device: 'vgd' };
const KIND_OF = new Map(Object.entries(PREFIX).map(([k, p]) => [p, k as TokenKind]));

/** A parsed bearer token: `<prefix>_<tenant>_<id>_<secret>`. The tenant part only routes; the secret decides. */
export interface ParsedToken {
  readonly kind: TokenKind;
  readonly tenant: string;
  readonly id: string;
  readonly secret: string;
}

/** A random id of `bytes` bytes in hex. */
export function newId(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** A new 256-bit secret in hex. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

/** SHA-256 of a high-entropy secret; only this is stored. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Compares a secret with a stored hash in constant time. */
export function secretMatches(secret: string, hash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Builds the text of a token. */
export function formatToken(kind: TokenKind, tenant: string, id: string, secret: string): string {
  return `${PREFIX[kind]}_${tenant}_${id}_${secret}`;
}

/** Parses the text of a token, or returns undefined when it is not one of ours. */
export function parseToken(text: string): ParsedToken | undefined {
  const m = /^(vg[asde])_([a-z][a-z0-9-]{0,62})_([0-9a-f]{16,64})_([0-9a-f]{64})$/.exec(text);
  if (!m) return undefined;
  const kind = KIND_OF.get(m[1] as string);
  return kind ? { kind, tenant: m[2] as string, id: m[3] as string, secret: m[4] as string } : undefined;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keyLen: 32 };

function scryptAsync(password: string, salt: Buffer, n: number, r: number, p: number, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, len, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))),
  );
}

/** Hashes a password with scrypt; the result names its parameters so they can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLen);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('hex')}$${key.toString('hex')}`;
}

/** Checks a password against a hash made by hashPassword. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'hex');
  const actual = await scryptAsync(
    password,
    Buffer.from(salt, 'hex'),
    Number(n),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(actual, expected);
}

/** A readable random password of 20 characters. */
export function newPassword(): string {
  return randomBytes(15).toString('base64url');
}
