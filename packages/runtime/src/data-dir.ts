import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Clock, isValidTenantName, systemClock, VigilError } from '@vigil/base';
import { type AttackCatalog, parseAttackBundle } from '@vigil/incidents';
import { defaultIngestLimits, type IngestLimits } from '@vigil/ingest';
import { tables as allTables, type TableSpec } from '@vigil/schema';
import { RuleLibrary } from './sigma-rules.js';
import { Tenant } from './tenant.js';

/** Vigil's small bundled ATT&CK default (a few common techniques). */
const DEFAULT_ATTACK = fileURLToPath(new URL('../../../content/attack/default-techniques.json', import.meta.url));

/** Options of a data dir. */
export interface DataDirOptions {
  readonly limits?: IngestLimits;
  readonly clock?: Clock;
  readonly tables?: readonly TableSpec[];
  /** Evaluate Sigma rules at ingest (default true). */
  readonly sigma?: boolean;
}

/** What a tenant's metadata file holds. */
export interface TenantMeta {
  readonly name: string;
  readonly createdAt: string;
}

/**
 * A server's data folder: `tenants/<name>/` holds each tenant's own files (telemetry.duckdb, state.duckdb,
 * tenant.json), so that tenants are isolated by storage, not by a WHERE clause.
 */
export class DataDir {
  private readonly open = new Map<string, Promise<Tenant>>();
  readonly limits: IngestLimits;
  readonly clock: Clock;
  readonly tables: readonly TableSpec[];
  /** The Sigma rules evaluated at ingest in every tenant of this data dir. */
  readonly rules: RuleLibrary;
  private readonly sigma: boolean;

  constructor(
    readonly root: string,
    options: DataDirOptions = {},
  ) {
    this.limits = options.limits ?? defaultIngestLimits;
    this.clock = options.clock ?? systemClock;
    this.tables = options.tables ?? allTables;
    this.sigma = options.sigma ?? true;
    mkdirSync(join(root, 'tenants'), { recursive: true });
    this.rules = new RuleLibrary(root);
  }

  /** The folder of a tenant. */
  tenantDir(name: string): string {
    return join(this.root, 'tenants', name);
  }

  /** The names of all tenants, sorted. */
  tenantNames(): string[] {
    return readdirSync(join(this.root, 'tenants'), { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.root, 'tenants', d.name, 'tenant.json')))
      .map((d) => d.name)
      .sort();
  }

  /** True when the tenant exists. */
  hasTenant(name: string): boolean {
    return isValidTenantName(name) && existsSync(join(this.tenantDir(name), 'tenant.json'));
  }

  /** Creates a tenant and its first admin; returns the admin's password once. */
  async createTenant(name: string): Promise<{ tenant: Tenant; admin: { name: string; password: string } }> {
    if (!isValidTenantName(name)) {
      throw new VigilError('TENANT_BAD_NAME', `"${name}" is not a valid tenant name`, {
        hint: 'use lower-case letters, digits and dashes, starting with a letter (at most 63 characters)',
      });
    }
    if (this.hasTenant(name)) throw new VigilError('TENANT_EXISTS', `tenant "${name}" already exists`, { status: 409 });
    const dir = this.tenantDir(name);
    mkdirSync(dir, { recursive: true });
    const tenant = await this.openTenantFiles(name);
    const admin = await tenant.service.ensureAdmin();
    if (!admin) throw new VigilError('TENANT_EXISTS', `tenant "${name}" already has users`, { status: 409 });
    const meta: TenantMeta = { name, createdAt: this.clock.now().toISOString() };
    // The metadata file is written last and atomically: a tenant exists once it is there.
    writeFileSync(join(dir, 'tenant.json.tmp'), `${JSON.stringify(meta, null, 2)}\n`);
    renameSync(join(dir, 'tenant.json.tmp'), join(dir, 'tenant.json'));
    this.open.set(name, Promise.resolve(tenant));
    return { tenant, admin };
  }

  /** Reads a tenant's metadata. */
  meta(name: string): TenantMeta {
    return JSON.parse(readFileSync(join(this.tenantDir(name), 'tenant.json'), 'utf8')) as TenantMeta;
  }

  /** Opens a tenant (once; later calls share it). */
  tenant(name: string): Promise<Tenant> {
    if (!this.hasTenant(name)) {
      const names = this.tenantNames();
      return Promise.reject(
        new VigilError('TENANT_UNKNOWN', `unknown tenant "${name}"`, {
          status: 404,
          hint: names.length > 0 ? `tenants: ${names.join(', ')}` : 'no tenant exists yet',
        }),
      );
    }
    let t = this.open.get(name);
    if (!t) {
      t = this.openTenantFiles(name);
      this.open.set(name, t);
      t.catch(() => this.open.delete(name));
    }
    return t;
  }

  private openTenantFiles(name: string): Promise<Tenant> {
    return Tenant.open({
      ...(this.sigma ? { rulesRoot: this.root } : {}),
      name,
      dir: this.tenantDir(name),
      tables: this.tables,
      limits: this.limits,
      clock: this.clock,
    });
  }

  /** The tenants opened so far. */
  async openTenants(): Promise<Tenant[]> {
    const out: Tenant[] = [];
    for (const p of this.open.values()) {
      try {
        out.push(await p);
      } catch {
        // a tenant that failed to open is reported where it was opened
      }
    }
    return out;
  }

  private attack: { mtime: number; catalog: AttackCatalog } | undefined;

  /** The ATT&CK catalog: the bundle the admin imported (`vigil attack import`), else Vigil's small default. */
  attackCatalog(): AttackCatalog {
    const file = join(this.root, 'attack.json');
    const mtime = existsSync(file) ? statSync(file).mtimeMs : 0;
    if (this.attack?.mtime === mtime) return this.attack.catalog;
    const source = mtime > 0 ? file : DEFAULT_ATTACK;
    const catalog = JSON.parse(readFileSync(source, 'utf8')) as AttackCatalog;
    this.attack = { mtime, catalog };
    return catalog;
  }

  /** Imports an ATT&CK STIX bundle (enterprise-attack.json) as this data dir's catalog. */
  importAttack(bundleText: string): { version: string; techniques: number } {
    let catalog: AttackCatalog;
    try {
      catalog = parseAttackBundle(JSON.parse(bundleText));
    } catch (e) {
      throw new VigilError('ATTACK_BAD_BUNDLE', `not an ATT&CK STIX bundle: ${(e as Error).message}`, {
        hint: 'use enterprise-attack.json from the MITRE ATT&CK STIX data',
      });
    }
    const file = join(this.root, 'attack.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(catalog));
    renameSync(`${file}.tmp`, file);
    return { version: catalog.version, techniques: Object.keys(catalog.techniques).length };
  }

  /** Writes what is queued and closes every tenant. */
  async close(): Promise<void> {
    for (const t of await this.openTenants()) await t.close();
    this.open.clear();
  }
}
