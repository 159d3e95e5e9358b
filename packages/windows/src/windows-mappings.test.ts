import { readFileSync } from 'node:fs';
import { findTable } from '@vigil/schema';
import { describe, expect, it } from 'vitest';
import { type EventMapping, mappingSourceChannels } from './event-mapping.js';
import { findWindowsMapping, windowsMappings } from './windows-mappings.js';

// ActionType values of Defender's catalogue (reference §1.3) that the mappings use; any other needs a note.
const defenderActionTypes = new Set([
  'ProcessCreated',
  'ConnectionSuccess',
  'InboundConnectionAccepted',
  'DriverLoad',
  'ImageLoaded',
  'CreateRemoteThreadApiCall',
  'OpenProcessApiCall',
  'FileCreated',
  'FileDeleted',
  'RegistryKeyCreated',
  'RegistryKeyDeleted',
  'RegistryKeyRenamed',
  'RegistryValueSet',
  'RegistryValueDeleted',
  'NamedPipeEvent',
  'DnsQueryResponse',
  'LogonSuccess',
  'LogonFailed',
  'LogonAttempted',
  'ServiceInstalled',
  'ScheduledTaskCreated',
  'UserAccountCreated',
  'UserAccountModified',
  'UserAccountDeleted',
  'UserAccountAddedToLocalGroup',
  'SecurityLogCleared',
  'PowerShellCommand',
  'ScriptContent',
]);

describe('windowsMappings', () => {
  it('maps each channel and event id once', () => {
    const keys = windowsMappings.map((m) => `${m.source}:${m.eventId}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(windowsMappings.map((m): [string, EventMapping] => [`${m.source} ${m.eventId}`, m]))(
    '%s targets a sensor table with an ActionType column and known ActionTypes',
    (_name, m) => {
      const table = findTable(m.table);
      expect(table?.writers).toContain('sensor');
      expect(table?.columns.some((c) => c.name === 'ActionType')).toBe(true);
      for (const action of m.actionTypes) {
        if (!defenderActionTypes.has(action)) expect(m.note, `${action} is ours and needs a note`).toBeDefined();
      }
      for (const channel of mappingSourceChannels[m.source]) {
        expect(findWindowsMapping(channel.toUpperCase(), m.eventId)).toBe(m);
      }
    },
  );

  it('lists every mapping in the README table', () => {
    // biome aligns the table columns, so compare with runs of spaces collapsed
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/ +/g, ' ');
    const missing = windowsMappings.filter(
      (m) => !readme.includes(`| ${m.source} | ${m.eventId} | ${m.table} | ${m.actionTypes[0]}`),
    );
    expect(missing.map((m) => `${m.source} ${m.eventId}`)).toEqual([]);
  });
});
