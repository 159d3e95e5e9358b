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

/** Mappings by lower-case channel, then event id. */
const byChannel = new Map<string, Map<number, EventMapping>>();
for (const m of windowsMappings)
  for (const channel of mappingSourceChannels[m.source]) {
    const lower = channel.toLowerCase();
    const ids = byChannel.get(lower) ?? new Map<number, EventMapping>();
    byChannel.set(lower, ids);
    ids.set(m.eventId, m);
  }

/** The channel texts seen so far (in their own case), each with its mappings: logs repeat a few channels. */
const seenChannels = new Map<string, Map<number, EventMapping> | null>();

/** The mapping for an event of a channel (matched in any case) and event id, or undefined when it has none. */
export function findWindowsMapping(channel: string, eventId: number): EventMapping | undefined {
  let ids = seenChannels.get(channel);
  if (ids === undefined) {
    ids = byChannel.get(channel.toLowerCase()) ?? null;
    if (seenChannels.size >= 1000) seenChannels.clear();
    seenChannels.set(channel, ids);
  }
  return ids?.get(eventId);
}
