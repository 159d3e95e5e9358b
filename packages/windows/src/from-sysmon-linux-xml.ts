import { err } from '@vigil/base';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { adapterProblem } from './adapter-problem.js';
import { eventFromXmlShape } from './event-from-xml-shape.js';
import { attributesOf, isRecord } from './system-values.js';
import type { WindowsEventResult } from './windows-event.js';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  attributesGroupName: '#attributes',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'Data',
});

/** Turns `{"Data": [{"#text": v, "#attributes": {"Name": n}}, ...]}` into `{n: v}`; unnamed Data go under `Data`; an empty Data is `''`. */
function dataByName(eventData: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!isRecord(eventData) || !Array.isArray(eventData.Data)) return out;
  const unnamed: unknown[] = [];
  for (const item of eventData.Data) {
    const value = isRecord(item) ? (item['#text'] ?? '') : item;
    const name = attributesOf(item).Name;
    if (typeof name === 'string' && name !== '') out[name] = value;
    else unnamed.push(value);
  }
  if (unnamed.length > 0) out.Data = unnamed.length === 1 ? unnamed[0] : unnamed;
  return out;
}

/**
 * Adapts one Sysmon for Linux event, as it writes to syslog: a line holding `<Event><System>...</System>
 * <EventData><Data Name="...">...</Data></EventData></Event>`, possibly after a syslog prefix, which is ignored.
 */
export function fromSysmonLinuxXml(line: string): WindowsEventResult {
  const start = line.indexOf('<Event');
  const end = line.lastIndexOf('</Event>');
  if (start < 0 || end < start) {
    return err(
      adapterProblem('WINDOWS_NO_XML_EVENT', 'Sysmon for Linux XML: the line holds no <Event>...</Event> element', {
        hint: 'expected a line like <Event><System>...</System><EventData>...</EventData></Event>',
      }),
    );
  }
  const xml = line.slice(start, end + '</Event>'.length);
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    return err(
      adapterProblem('WINDOWS_BAD_XML', `Sysmon for Linux XML: ${valid.err.msg}`, {
        location: { line: valid.err.line, column: valid.err.line === 1 ? start + valid.err.col : valid.err.col },
      }),
    );
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(xml);
  } catch (e) {
    return err(
      adapterProblem('WINDOWS_BAD_XML', `Sysmon for Linux XML: ${e instanceof Error ? e.message : String(e)}`),
    );
  }
  const event = isRecord(parsed) ? parsed.Event : undefined;
  if (!isRecord(event)) return eventFromXmlShape(event, 'Sysmon for Linux XML');
  const shaped: Record<string, unknown> = { System: event.System };
  if ('EventData' in event) shaped.EventData = dataByName(event.EventData);
  else if (isRecord(event.UserData)) shaped.UserData = event.UserData;
  return eventFromXmlShape(shaped, 'Sysmon for Linux XML');
}
