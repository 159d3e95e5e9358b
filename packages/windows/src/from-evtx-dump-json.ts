import { err } from '@vigil/base';
import { adapterProblem } from './adapter-problem.js';
import { eventFromXmlShape } from './event-from-xml-shape.js';
import { isRecord } from './system-values.js';
import type { WindowsEventResult } from './windows-event.js';

/**
 * Adapts one record of evtx_dump's JSON output (`{"Event": {"System": {...}, "EventData": {...}}}`, the format of
 * the Sigma regression data) into a WindowsEvent. An object that is already the `Event` element is accepted too.
 */
export function fromEvtxDumpJson(obj: unknown): WindowsEventResult {
  if (!isRecord(obj)) {
    return err(adapterProblem('WINDOWS_NOT_OBJECT', 'evtx_dump JSON: the record is not a JSON object'));
  }
  const event = isRecord(obj.Event) ? obj.Event : isRecord(obj.System) ? obj : undefined;
  if (event === undefined) {
    return err(
      adapterProblem('WINDOWS_NOT_EVENT', 'evtx_dump JSON: the object has no "Event" key', {
        hint: 'expected {"Event": {"System": {...}, "EventData": {...}}}',
      }),
    );
  }
  return eventFromXmlShape(event, 'evtx_dump JSON');
}
