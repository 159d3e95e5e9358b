import type { EventView } from './event-view.js';
import { fieldTransforms, isFieldTransform } from './field-transforms.js';
import type { FieldMapping } from './pipeline.js';

/** Reads one Sigma field from an event view; `joined` marks values computed from several columns. */
export interface FieldAccessor {
  readonly key: string;
  /** The value is joined from several columns, so it need not occur literally in the event's text. */
  readonly joined: boolean;
  get(view: EventView): unknown;
}

function present(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/** A column of the row (exact name first, then any case), else an original field of that name. */
function column(view: EventView, name: string): unknown {
  const row = view.event.row;
  const lower = name.toLowerCase();
  return name in row ? row[name] : (view.columns().get(lower) ?? view.original().get(lower));
}

function isColumnList(m: FieldMapping): m is readonly string[] {
  return Array.isArray(m);
}

function isTransform(m: FieldMapping): m is { readonly transform: string } {
  return typeof (m as { transform?: unknown }).transform === 'string';
}

function mapped(view: EventView, mapping: FieldMapping | undefined): unknown {
  if (mapping === undefined) return undefined;
  if (typeof mapping === 'string') return column(view, mapping);
  if (!isColumnList(mapping)) {
    if (isTransform(mapping)) {
      return isFieldTransform(mapping.transform) ? fieldTransforms[mapping.transform](view.event.row) : undefined;
    }
    const parts = mapping.join.map((c) => column(view, c)).filter(present);
    return parts.length === 0 ? undefined : parts.map(String).join(mapping.separator);
  }
  for (const c of mapping) {
    const v = column(view, c);
    if (present(v)) return v;
  }
  return undefined;
}

/**
 * Builds the accessor of a Sigma field: the original event field of that name (case-insensitive) when the event
 * has one, else the pipeline's mapped column(s), else a column of that very name (rules may use our columns).
 */
export function fieldAccessor(field: string, mapping: FieldMapping | undefined): FieldAccessor {
  const lower = field.toLowerCase();
  const key = `${lower}\u0000${mapping === undefined ? '' : JSON.stringify(mapping)}`;
  const joined =
    mapping !== undefined && typeof mapping !== 'string' && !isColumnList(mapping) && !isTransform(mapping);
  const resolve = (view: EventView): unknown => {
    const o = view.original().get(lower);
    if (o !== undefined && o !== null) return o;
    const m = mapped(view, mapping);
    if (m !== undefined && m !== null) return m;
    return column(view, field);
  };
  return {
    key,
    joined,
    get(view) {
      const c = view.cache;
      if (c.has(key)) return c.get(key);
      const v = resolve(view);
      c.set(key, v);
      return v;
    },
  };
}
