import { randomUUID } from 'node:crypto';
import { type Clock, type Diagnostic, VigilError } from '@vigil/base';
import { type Indicator, IndicatorMatcher, readStixBundle, validateIndicator } from '@vigil/indicators';
import type { StateStore } from '@vigil/storage';

const COLLECTION = 'indicators';
/** Defender's limit of indicators per tenant. */
export const MAX_INDICATORS = 15_000;

/** The outcome of a bulk import: what was stored, and a diagnostic for each item that was not. */
export interface IndicatorImportResult {
  readonly stored: readonly Indicator[];
  readonly problems: readonly Diagnostic[];
}

/** The custom indicators of one tenant, and the matcher built from them (rebuilt on every change). */
export class IndicatorService {
  private matcher: Promise<IndicatorMatcher> | undefined;

  constructor(
    private readonly state: StateStore,
    private readonly clock: Clock,
  ) {}

  /** The matcher of the current indicators. */
  current(): Promise<IndicatorMatcher> {
    this.matcher ??= this.list().then((all) => new IndicatorMatcher(all));
    return this.matcher;
  }

  async list(): Promise<Indicator[]> {
    return (await this.state.listDocuments(COLLECTION, { orderBy: { field: 'creationTimeDateTimeUtc' } }))
      .items as unknown as Indicator[];
  }

  async get(id: string): Promise<Indicator | undefined> {
    return (await this.state.getDocument(COLLECTION, id)) as Indicator | undefined;
  }

  /** Creates an indicator, or updates the one with the same type and value (as Defender's submit does). */
  async submit(input: Record<string, unknown>, by: string): Promise<Indicator> {
    const r = await this.importMany([input], by);
    const first = r.problems[0];
    if (first)
      throw new VigilError(first.code, first.message, {
        details: r.problems,
        ...(first.hint ? { hint: first.hint } : {}),
      });
    return r.stored[0] as Indicator;
  }

  /** Updates fields of an existing indicator. */
  async update(id: string, patch: Record<string, unknown>): Promise<Indicator> {
    const existing = await this.get(id);
    if (!existing) throw new VigilError('INDICATOR_UNKNOWN', `no indicator "${id}"`, { status: 404 });
    const checked = validateIndicator({ ...existing, ...patch, id: undefined }, this.clock.now());
    if (!checked.ok)
      throw new VigilError(checked.diagnostic.code, checked.diagnostic.message, { details: [checked.diagnostic] });
    const next: Indicator = {
      ...checked.value,
      id,
      createdBy: existing.createdBy,
      creationTimeDateTimeUtc: existing.creationTimeDateTimeUtc,
    };
    await this.state.putDocument(COLLECTION, id, next as unknown as Record<string, unknown>);
    this.matcher = undefined;
    return next;
  }

  async delete(id: string): Promise<boolean> {
    const done = await this.state.deleteDocument(COLLECTION, id);
    this.matcher = undefined;
    return done;
  }

  /** Stores many indicators (a list of indicator objects, or a STIX 2.1 bundle); bad items are reported, not stored. */
  async importMany(input: unknown, by: string): Promise<IndicatorImportResult> {
    const problems: Diagnostic[] = [];
    let items: Record<string, unknown>[];
    if (Array.isArray(input)) items = input as Record<string, unknown>[];
    else if ((input as { type?: string })?.type === 'bundle') {
      const stix = readStixBundle(input);
      problems.push(...stix.problems);
      items = stix.indicators.map((i) => ({ ...i, action: 'Alert' }));
    } else {
      throw new VigilError('INDICATOR_BAD_IMPORT', 'expected {"Indicators":[...]} or a STIX 2.1 bundle');
    }
    const existing = await this.list();
    const byKey = new Map(existing.map((i) => [`${i.indicatorType}:${i.indicatorValue}`, i]));
    const stored: Indicator[] = [];
    const now = this.clock.now();
    for (const [n, item] of items.entries()) {
      const checked = validateIndicator(item, now);
      if (!checked.ok) {
        problems.push({ ...checked.diagnostic, message: `item ${n}: ${checked.diagnostic.message}` });
        continue;
      }
      const key = `${checked.value.indicatorType}:${checked.value.indicatorValue}`;
      const prior = byKey.get(key);
      if (!prior && byKey.size >= MAX_INDICATORS) {
        problems.push({
          code: 'INDICATOR_LIMIT',
          message: `item ${n}: the tenant already has ${MAX_INDICATORS} indicators`,
          severity: 'error',
        });
        continue;
      }
      const indicator: Indicator = {
        ...checked.value,
        id: prior?.id ?? randomUUID(),
        createdBy: prior?.createdBy ?? by,
        creationTimeDateTimeUtc: prior?.creationTimeDateTimeUtc ?? checked.value.creationTimeDateTimeUtc,
      };
      await this.state.putDocument(COLLECTION, indicator.id, indicator as unknown as Record<string, unknown>);
      byKey.set(key, indicator);
      stored.push(indicator);
    }
    this.matcher = undefined;
    return { stored, problems };
  }
}
