import type { Diagnostic } from '@vigil/base';
import type { EventView } from './event-view.js';
import type { FieldMapping } from './pipeline.js';

/** A compiled test with the literals of which one must occur in any matching event (null = no such guarantee). */
export interface CompiledTest {
  readonly test: (view: EventView) => boolean;
  readonly literals: readonly string[] | null;
}

/** What compiling a rule needs: the field mapping, placeholder values and where to put diagnostics. */
export interface CompileContext {
  readonly fields: ReadonlyMap<string, FieldMapping>;
  readonly placeholders: ReadonlyMap<string, readonly string[]>;
  readonly diagnostics: Diagnostic[];
}
