import { type EventMapping, mappingSourceChannels } from './event-mapping.js';
import { powershellMappings } from './powershell-mappings.js';
import { securityMappings } from './security-mappings.js';
import { sysmonMappings } from './sysmon-mappings.js';
import { systemMappings } from './system-mappings.js';

/** Every mapping from a Windows event id to a hunting table, by source. */
export const windowsMappings = [
  ...sysmonMappings,
  ...securityMappings,
  ...systemMappings,
  ...powershellMappings,
] as const satisfies readonly EventMapping[];

function key(channel: string, eventId: number): string {
  return `${channel.toLowerCase()}:${eventId}`;
}

const byChannelAndId: ReadonlyMap<string, EventMapping> = new Map(
  windowsMappings.flatMap((m): [string, EventMapping][] =>
    mappingSourceChannels[m.source].map((channel): [string, EventMapping] => [key(channel, m.eventId), m]),
  ),
);

/** The mapping for an event of a channel (matched in any case) and event id, or undefined when it has none. */
export function findWindowsMapping(channel: string, eventId: number): EventMapping | undefined {
  return byChannelAndId.get(key(channel, eventId));
}
