import { request } from 'node:http';
import { type Diagnostic, VigilError } from '@vigil/base';
import type {
  AdminOps,
  HuntOptions,
  HuntResult,
  ImportProgress,
  IssuedView,
  TelemetryImportSummary,
} from '@vigil/runtime';
import type { QueryResult, Role } from '@vigil/storage';
import type { EnrollTokenOptions } from '@vigil/tenants';

interface ErrorJson {
  code: string;
  message: string;
  hint?: string;
  details?: Diagnostic[];
}

function toError(e: ErrorJson, status: number): VigilError {
  return new VigilError(e.code, e.message, {
    status,
    ...(e.details ? { details: e.details } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
  });
}

/** AdminOps through the admin socket of the server that holds the data dir. */
export class SocketAdmin implements AdminOps {
  constructor(private readonly socket: string) {}

  private call<T>(method: string, path: string, body?: unknown, onLine?: (line: unknown) => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const req = request(
        { socketPath: this.socket, method, path, headers: { 'content-type': 'application/json' } },
        (res) => {
          let buffer = '';
          let lastLine: unknown;
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            if (!onLine) return;
            let nl = buffer.indexOf('\n');
            while (nl >= 0) {
              const line = buffer.slice(0, nl);
              buffer = buffer.slice(nl + 1);
              if (line.trim()) {
                lastLine = JSON.parse(line);
                onLine(lastLine);
              }
              nl = buffer.indexOf('\n');
            }
          });
          res.on('end', () => {
            try {
              const json = onLine ? lastLine : buffer ? JSON.parse(buffer) : undefined;
              const status = res.statusCode ?? 500;
              if (status >= 400) reject(toError((json as { error: ErrorJson }).error, status));
              else resolve(json as T);
            } catch (e) {
              reject(e);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  }

  listTenants() {
    return this.call<{ value: { name: string; createdAt: string }[] }>('GET', '/admin/tenants').then((r) => r.value);
  }

  createTenant(name: string) {
    return this.call<{ name: string; admin: { name: string; password: string } }>('POST', '/admin/tenants', { name });
  }

  createEnrollToken(tenant: string, options: EnrollTokenOptions) {
    return this.call<IssuedView>('POST', `/admin/tenants/${encodeURIComponent(tenant)}/enroll-tokens`, options);
  }

  putUser(tenant: string, name: string, role: Role, password?: string) {
    return this.call<{ name: string; role: Role; password: string }>(
      'POST',
      `/admin/tenants/${encodeURIComponent(tenant)}/users`,
      { name, role, ...(password !== undefined ? { password } : {}) },
    );
  }

  createApiToken(tenant: string, name: string, role: Role, expiresInHours?: number) {
    return this.call<IssuedView>('POST', `/admin/tenants/${encodeURIComponent(tenant)}/tokens`, {
      name,
      role,
      ...(expiresInHours !== undefined ? { expiresInHours } : {}),
    });
  }

  setRetention(tenant: string, days: number) {
    return this.call<{ retentionDays: number }>('POST', `/admin/tenants/${encodeURIComponent(tenant)}/retention`, {
      days,
    });
  }

  sql(tenant: string, sql: string) {
    return this.call<QueryResult>('POST', `/admin/tenants/${encodeURIComponent(tenant)}/sql`, { sql });
  }

  addRules(dir: string) {
    return this.call<{ folder: string; files: number; rules: number; problems: number }>('POST', '/admin/rules', {
      dir,
    });
  }

  listRules() {
    return this.call<{ folders: string[]; rules: number }>('GET', '/admin/rules');
  }

  importAttack(file: string) {
    return this.call<{ version: string; techniques: number }>('POST', '/admin/attack', { file });
  }

  hunt(tenant: string, query: string, options: HuntOptions) {
    return this.call<HuntResult>('POST', `/admin/tenants/${encodeURIComponent(tenant)}/hunt`, {
      query,
      ...(options.maxRows !== undefined ? { maxRows: options.maxRows } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async importFiles(
    tenant: string,
    files: readonly string[],
    options: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void } = {},
  ) {
    let summary: TelemetryImportSummary | undefined;
    let error: ErrorJson | undefined;
    const body = { files, dryRun: options.dryRun === true };
    await this.call<unknown>('POST', `/admin/tenants/${encodeURIComponent(tenant)}/import`, body, (line) => {
      const l = line as { progress?: ImportProgress; summary?: TelemetryImportSummary; error?: ErrorJson };
      if (l.progress && options.onProgress) options.onProgress(l.progress);
      if (l.summary) summary = l.summary;
      if (l.error) error = l.error;
    });
    if (error) throw toError(error, 400);
    if (!summary) throw new Error('the server ended the import without a summary');
    return summary;
  }
}
