import { accountColumns, pathColumns } from './event-columns.js';
import type { EventMapping, MappedEvent } from './event-mapping.js';
import { executableOf, text } from './field-values.js';
import type { WindowsEvent } from './windows-event.js';

/** The `Name = value` lines of a PowerShell ContextInfo field. */
function contextInfo(value: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of (text(value) ?? '').split(/\r?\n/)) {
    const eq = line.indexOf(' = ');
    if (eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 3).trim());
  }
  return out;
}

/** The PowerShell host process: the event's execution process, with its command line and user from ContextInfo. */
function hostColumns(e: WindowsEvent, context: Map<string, string>): Record<string, unknown> {
  const host = context.get('Host Application');
  return {
    ...pathColumns(executableOf(host), 'InitiatingProcess'),
    InitiatingProcessCommandLine: host === '' ? undefined : host,
    InitiatingProcessId: e.processId,
    InitiatingProcessAccountSid: e.userId,
    ...accountColumns(context.get('User'), 'InitiatingProcess'),
  };
}

function commandInvoked(e: WindowsEvent): MappedEvent {
  const context = contextInfo(e.data.ContextInfo);
  const command = context.get('Command Name') || /CommandInvocation\(([^)]*)\)/.exec(text(e.data.Payload) ?? '')?.[1];
  return {
    columns: { ActionType: 'PowerShellCommand', ...hostColumns(e, context) },
    ...(command ? { additional: { Command: command } } : {}),
  };
}

function scriptBlock(e: WindowsEvent): MappedEvent {
  return { columns: { ActionType: 'ScriptContent', ...hostColumns(e, new Map()) } };
}

/** PowerShell/Operational event ids with the table and ActionType Defender uses. */
export const powershellMappings = [
  {
    source: 'powershell',
    eventId: 4103,
    title: 'Module logging: a command was invoked',
    table: 'DeviceEvents',
    actionTypes: ['PowerShellCommand'],
    note: 'AdditionalFields.Command is the command name, as in Defender; ContextInfo and Payload stay as they are.',
    map: commandInvoked,
  },
  {
    source: 'powershell',
    eventId: 4104,
    title: 'Script block logging: a script block was compiled',
    table: 'DeviceEvents',
    actionTypes: ['ScriptContent'],
    note: 'The script text is AdditionalFields.ScriptBlockText; long scripts arrive in parts (MessageNumber of MessageTotal).',
    map: scriptBlock,
  },
] as const satisfies readonly EventMapping[];
