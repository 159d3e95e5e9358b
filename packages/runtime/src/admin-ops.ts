import { readFileSync } from 'node:fs';
import { VigilError } from '@vigil/base';
import type { QueryResult, Role } from '@vigil/storage';
import type { EnrollTokenOptions } from '@vigil/tenants';
import type { DataDir } from './data-dir.js';
import { type HuntOptions, type HuntResult, runHunt } from './hunt.js';
import type { ImportProgress } from './import-ndjson.js';
import { importTelemetry, type TelemetryImportSummary } from './import-telemetry.js';

/** An issued secret as the admin commands print it. */
export interface IssuedView {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: string | null;
}

/**
 * What the admin commands of the CLI do to a data dir. One implementation works on the files (LocalAdmin); the
 * CLI reaches it either in-process or, while a server holds the files, through that server's admin socket.
 */
export interface AdminOps {
  listTenants(): Promise<readonly { name: string; createdAt: string }[]>;
  createTenant(name: string): Promise<{ name: string; admin: { name: string; password: string } }>;
  createEnrollToken(tenant: string, options: EnrollTokenOptions): Promise<IssuedView>;
  putUser(
    tenant: string,
    name: string,
    role: Role,
    password?: string,
  ): Promise<{ name: string; role: Role; password: string }>;
  createApiToken(tenant: string, name: string, role: Role, expiresInHours?: number): Promise<IssuedView>;
  setRetention(tenant: string, days: number): Promise<{ retentionDays: number }>;
  sql(tenant: string, sql: string): Promise<QueryResult>;
  importFiles(
    tenant: string,
    files: readonly string[],
    options?: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void },
  ): Promise<TelemetryImportSummary>;
  hunt(tenant: string, query: string, options: HuntOptions): Promise<HuntResult>;
  /** Adds a folder of Sigma rules to those evaluated at ingest; returns its rule files and the ruleset's size. */
  addRules(dir: string): Promise<{ folder: string; files: number; rules: number; problems: number }>;
  /** The rule folders added, and the number of rules loaded. */
  listRules(): Promise<{ folders: string[]; rules: number }>;
  /** Imports an ATT&CK STIX bundle file as the data dir's technique catalog. */
  importAttack(file: string): Promise<{ version: string; techniques: number }>;
}

/** AdminOps over a DataDir this process holds. */
export class LocalAdmin implements AdminOps {
  constructor(
    private readonly data: DataDir,
    private readonly externalDataDir?: string,
  ) {}

  async listTenants() {
    return this.data.tenantNames().map((name) => this.data.meta(name));
  }

  async createTenant(name: string) {
    const { admin } = await this.data.createTenant(name);
    return { name, admin };
  }

  async createEnrollToken(tenant: string, options: EnrollTokenOptions) {
    const t = await this.data.tenant(tenant);
    const issued = await t.service.createEnrollToken(options);
    return { id: issued.record.id, token: issued.token, expiresAt: issued.record.expiresAt?.toISOString() ?? null };
  }

  async putUser(tenant: string, name: string, role: Role, password?: string) {
    const t = await this.data.tenant(tenant);
    return { name, role, password: await t.service.putUser(name, role, password) };
  }

  async createApiToken(tenant: string, name: string, role: Role, expiresInHours?: number) {
    const t = await this.data.tenant(tenant);
    const issued = await t.service.createApiToken(name, role, expiresInHours);
    return { id: issued.record.id, token: issued.token, expiresAt: issued.record.expiresAt?.toISOString() ?? null };
  }

  async setRetention(tenant: string, days: number) {
    const t = await this.data.tenant(tenant);
    await t.setRetentionDays(days);
    return { retentionDays: await t.retentionDays() };
  }

  async sql(tenant: string, sql: string) {
    const t = await this.data.tenant(tenant);
    try {
      return await t.telemetry.query(sql);
    } catch (e) {
      // The database's own message names what is wrong (a column, a table, the syntax near a token).
      if (e instanceof VigilError) throw e;
      throw new VigilError('SQL_FAILED', `the SQL query failed: ${e instanceof Error ? e.message : String(e)}`, {
        hint: 'the tables and columns are the advanced-hunting ones (see the README)',
      });
    }
  }

  async addRules(dir: string) {
    const added = this.data.rules.add(dir);
    const ruleset = this.data.rules.ruleset();
    const problems = ruleset.diagnostics.filter((d) => d.severity === 'error').length;
    return { ...added, rules: ruleset.rules.length, problems };
  }

  async listRules() {
    return { folders: this.data.rules.folders(), rules: this.data.rules.ruleset().rules.length };
  }

  async importAttack(file: string) {
    return this.data.importAttack(readFileSync(file, 'utf8'));
  }

  async hunt(tenant: string, query: string, options: HuntOptions) {
    const dir = options.externalDataDir ?? this.externalDataDir;
    return runHunt((await this.data.tenant(tenant)).telemetry, query, {
      ...options,
      ...(dir ? { externalDataDir: dir } : {}),
    });
  }

  async importFiles(
    tenant: string,
    files: readonly string[],
    options: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void } = {},
  ) {
    return importTelemetry(await this.data.tenant(tenant), files, {
      ...(options.dryRun ? { dryRun: true } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
}
