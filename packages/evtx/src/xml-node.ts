// Small helpers over the rendered tree.
import type { XmlNode } from './evtx-types.js';

/** The text content of a node: its text, or the text of all its descendants in order. */
export function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  const c = node.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  let s = '';
  for (const child of c) s += textOf(child);
  return s;
}

/** Sets an own property, also for the key `__proto__` (which plain assignment would take as the prototype). */
export function setOwn<T>(o: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
