/** The answer of `POST /api/auth/login`. */
export interface LoginResponse {
  readonly token: string;
  readonly tenant: string;
  readonly username: string;
  readonly role: string;
  readonly expiresAt: string | null;
}

/** The answer of `GET /api/auth/me`. */
export interface Me {
  readonly tenant: string;
  readonly kind: string;
  readonly name: string;
  readonly role: string;
}

/** A machine as `GET /api/machines` returns it (Defender's machine entity, as far as Vigil knows it). */
export interface Machine {
  readonly id: string;
  readonly computerDnsName: string;
  readonly osPlatform: string | null;
  readonly firstSeen: string | null;
  readonly lastSeen: string | null;
  readonly onboardingStatus: string;
  readonly offboardedAt: string | null;
}

/** One column of a hunting result. */
export interface HuntColumn {
  readonly Name: string;
  readonly Type: string;
}

/** The chart a trailing `render` asked for. */
export interface ChartHint {
  readonly type: string;
  readonly properties: Readonly<Record<string, string>>;
}

/** The answer of `POST /api/advancedqueries/run`. */
export interface HuntResult {
  readonly Schema: readonly HuntColumn[];
  readonly Results: readonly Record<string, unknown>[];
  readonly Truncated: boolean;
  readonly Chart?: ChartHint;
  readonly QueryId?: string;
}

/** The error body every API route answers with. */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly hint?: string;
    readonly line?: number;
    readonly field?: string;
  };
}

/** The answer of `GET /api/tenant`. */
export interface TenantInfo {
  readonly name: string;
  readonly retentionDays: number;
  readonly storeSizeBytes: number;
  readonly tables: readonly { readonly table: string; readonly rows: number }[];
}
