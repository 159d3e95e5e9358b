// Reads a record's System and EventData through its template's field plan (see field-plan.ts).
import { emptySystem, eventDataOf } from './event-fields.js';
import type { EvtxSystem } from './evtx-types.js';
import { type FieldPlan, type PlannedAttr, type SystemStep, setSystemField, type TextSource } from './field-plan.js';

/** The text of a substitution value, or null for a null or missing one. */
type ValueText = (index: number) => string | null;

function textOf(source: TextSource, value: ValueText): string {
  return typeof source === 'string' ? source : (value(source) ?? '');
}

/** The attributes of the System element being read: names and their texts for this record. */
let attrNames: readonly string[] = [];
const attrTexts: string[] = [];

/** Reads an attribute of the element being read: a later attribute of the same name wins, as in the tree. */
function attrOf(name: string): string | undefined {
  for (let i = attrNames.length - 1; i >= 0; i--) if (attrNames[i] === name) return attrTexts[i];
  return undefined;
}

/** Renders a step's attributes in document order. */
function renderAttrs(step: SystemStep, value: ValueText): void {
  const attrs = step.attrs;
  for (let k = 0; k < attrs.length; k++) {
    const parts = (attrs[k] as PlannedAttr).parts;
    if (parts.length === 1) {
      // Most attributes are one value: no concatenation.
      const only = parts[0] as TextSource;
      attrTexts[k] = typeof only === 'string' ? only : (value(only) ?? '');
      continue;
    }
    let text = '';
    for (const part of parts) text += typeof part === 'string' ? part : (value(part) ?? '');
    attrTexts[k] = text;
  }
  attrNames = step.attrNames;
}

const texts: string[] = [];

/** The System fields the plan names, rendering attributes before text for each element, as the tree would. */
export function plannedSystem(plan: FieldPlan, value: ValueText): EvtxSystem {
  const system = emptySystem();
  for (const step of plan.system ?? []) {
    renderAttrs(step, value);
    setSystemField(system, step.name, textOf(step.text, value), attrOf);
  }
  return system;
}

/** The EventData entries the plan names, flattened as `readEventData` does; undefined when it names none. */
export function plannedEventData(plan: FieldPlan, value: ValueText): Record<string, string | string[]> | undefined {
  const keys = plan.dataKeys;
  if (keys === undefined) return undefined;
  const n = plan.dataValues.length;
  const shape = plan.dataShape;
  if (shape !== undefined) {
    // Distinct keys: the same object readEventData builds from its remembered shape, without looking it up.
    const out: Record<string, string> = { ...shape };
    for (let i = 0; i < n; i++) out[keys[i] as string] = textOf(plan.dataValues[i] as TextSource, value);
    return out;
  }
  texts.length = n;
  for (let i = 0; i < n; i++) texts[i] = textOf(plan.dataValues[i] as TextSource, value);
  return eventDataOf(keys, texts);
}
