import {
  accountColumns,
  eventTimestamp,
  hashColumns,
  initiatingColumns,
  pathColumns,
  processGuidTime,
} from './event-columns.js';
import type { EventMapping, MappedEvent } from './event-mapping.js';
import { bool, int32, long, text, wholeNumber } from './field-values.js';
import { canonicalIp, ipAddressType } from './ip-address.js';
import { defenderRegistryKey, registryValueFromDetails, splitRegistryValue } from './registry-values.js';
import type { WindowsEvent } from './windows-event.js';

function processCreated(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: {
      ActionType: 'ProcessCreated',
      ...pathColumns(d.Image),
      ...hashColumns(e),
      ProcessVersionInfoCompanyName: text(d.Company),
      ProcessVersionInfoProductName: text(d.Product),
      ProcessVersionInfoOriginalFileName: text(d.OriginalFileName),
      ProcessVersionInfoFileDescription: text(d.Description),
      ProcessId: long(d.ProcessId),
      ProcessCommandLine: text(d.CommandLine),
      ProcessIntegrityLevel: text(d.IntegrityLevel),
      ProcessCreationTime: eventTimestamp(e),
      ...accountColumns(d.User),
      LogonId: long(d.LogonId),
      CreatedProcessSessionId: long(d.TerminalSessionId),
      ...initiatingColumns(e, {
        image: 'ParentImage',
        processId: 'ParentProcessId',
        user: 'ParentUser',
        guid: 'ParentProcessGuid',
      }),
      InitiatingProcessCommandLine: text(d.ParentCommandLine),
    },
  };
}

function protocolName(value: unknown): string | undefined {
  const p = text(value)?.toLowerCase();
  return p === undefined ? undefined : `${p.charAt(0).toUpperCase()}${p.slice(1)}`;
}

function ipColumns(value: unknown, prefix: 'Local' | 'Remote'): Record<string, unknown> {
  const ip = text(value);
  if (ip === undefined) return {};
  const canonical = canonicalIp(ip);
  return { [`${prefix}IP`]: canonical, [`${prefix}IPType`]: ipAddressType(canonical) };
}

function networkConnection(e: WindowsEvent): MappedEvent {
  const d = e.data;
  // Initiated=false: the local side (Destination*) accepted a connection from the remote side (Source*).
  const inbound = bool(d.Initiated) === false;
  const [local, remote] = inbound ? ['Destination', 'Source'] : ['Source', 'Destination'];
  return {
    columns: {
      ActionType: inbound ? 'InboundConnectionAccepted' : 'ConnectionSuccess',
      ...ipColumns(d[`${remote}Ip`], 'Remote'),
      RemotePort: int32(d[`${remote}Port`]),
      RemoteUrl: inbound ? undefined : text(d.DestinationHostname),
      ...ipColumns(d[`${local}Ip`], 'Local'),
      LocalPort: int32(d[`${local}Port`]),
      Protocol: protocolName(d.Protocol),
      ...initiatingColumns(e),
    },
  };
}

function initiatorOnly(actionType: string): (e: WindowsEvent) => MappedEvent {
  return (e) => ({ columns: { ActionType: actionType, ...initiatingColumns(e) } });
}

function driverLoaded(e: WindowsEvent): MappedEvent {
  return { columns: { ActionType: 'DriverLoad', ...pathColumns(e.data.ImageLoaded), ...hashColumns(e) } };
}

function imageLoaded(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: { ActionType: 'ImageLoaded', ...pathColumns(d.ImageLoaded), ...hashColumns(e), ...initiatingColumns(e) },
  };
}

/** Sysmon 8 and 10: a source process acting on a target process (the GUID fields are spelled differently). */
function crossProcess(actionType: string, guidSuffix: 'Guid' | 'GUID'): (e: WindowsEvent) => MappedEvent {
  return (e) => {
    const d = e.data;
    const access = wholeNumber(d.GrantedAccess);
    return {
      columns: {
        ActionType: actionType,
        ...pathColumns(d.TargetImage),
        ProcessId: long(d.TargetProcessId),
        ProcessCreationTime: processGuidTime(d[`TargetProcess${guidSuffix}`], e),
        ...accountColumns(d.TargetUser),
        ...initiatingColumns(e, {
          image: 'SourceImage',
          processId: 'SourceProcessId',
          user: 'SourceUser',
          guid: `SourceProcess${guidSuffix}`,
        }),
      },
      ...(access === undefined ? {} : { additional: { DesiredAccess: access } }),
    };
  };
}

function fileEvent(actionType: string, withHashes: boolean): (e: WindowsEvent) => MappedEvent {
  return (e) => ({
    columns: {
      ActionType: actionType,
      ...pathColumns(e.data.TargetFilename),
      ...(withHashes ? hashColumns(e) : {}),
      ...initiatingColumns(e),
    },
  });
}

function streamCreated(e: WindowsEvent): MappedEvent {
  // Contents of a Zone.Identifier stream: "[ZoneTransfer] ZoneId=3 ReferrerUrl=... HostUrl=..."
  const contents = text(e.data.Contents) ?? '';
  const host = /HostUrl=(\S+)/.exec(contents)?.[1];
  const referrer = /ReferrerUrl=(\S+)/.exec(contents)?.[1];
  const base = fileEvent('FileCreated', true)(e);
  return { columns: { ...base.columns, FileOriginUrl: host, FileOriginReferrerUrl: referrer } };
}

const registryKeyActions: Readonly<Record<string, string>> = {
  CreateKey: 'RegistryKeyCreated',
  DeleteKey: 'RegistryKeyDeleted',
  DeleteValue: 'RegistryValueDeleted',
  CreateValue: 'RegistryValueSet',
  SetValue: 'RegistryValueSet',
  RenameKey: 'RegistryKeyRenamed',
};

const registryDefaults: Readonly<Record<number, string>> = {
  12: 'RegistryKeyCreated',
  13: 'RegistryValueSet',
  14: 'RegistryKeyRenamed',
};

function registryEvent(e: WindowsEvent): MappedEvent {
  const d = e.data;
  const target = text(d.TargetObject) ?? '';
  const action = registryKeyActions[text(d.EventType) ?? ''] ?? registryDefaults[e.eventId] ?? 'RegistryValueSet';
  const common = { ActionType: action, ...initiatingColumns(e) };
  if (action === 'RegistryKeyRenamed') {
    const renamed = text(d.NewName);
    const key = renamed === undefined ? undefined : defenderRegistryKey(renamed);
    return { columns: { ...common, RegistryKey: key, PreviousRegistryKey: defenderRegistryKey(target) } };
  }
  if (action === 'RegistryKeyCreated' || action === 'RegistryKeyDeleted') {
    return { columns: { ...common, RegistryKey: defenderRegistryKey(target) } };
  }
  const { key, valueName } = splitRegistryValue(target);
  const value = action === 'RegistryValueSet' ? registryValueFromDetails(text(d.Details)) : {};
  return {
    columns: {
      ...common,
      RegistryKey: key,
      RegistryValueName: valueName,
      RegistryValueType: value.type,
      RegistryValueData: value.data,
    },
  };
}

function pipeEvent(operation: string, end: string): (e: WindowsEvent) => MappedEvent {
  return (e) => ({
    columns: { ActionType: 'NamedPipeEvent', ...initiatingColumns(e) },
    additional: { FileOperation: operation, NamedPipeEnd: end },
  });
}

function dnsQuery(e: WindowsEvent): MappedEvent {
  const query = text(e.data.QueryName);
  return {
    columns: { ActionType: 'DnsQueryResponse', RemoteUrl: query, ...initiatingColumns(e) },
    ...(query === undefined ? {} : { additional: { DnsQueryString: query } }),
  };
}

const ours = 'Vigil name: Defender has no such ActionType.';

/** Sysmon event ids (Windows and Linux) with the table and ActionType Defender uses for the same activity. */
export const sysmonMappings = [
  {
    source: 'sysmon',
    eventId: 1,
    title: 'Process creation',
    table: 'DeviceProcessEvents',
    actionTypes: ['ProcessCreated'],
    map: processCreated,
  },
  {
    source: 'sysmon',
    eventId: 3,
    title: 'Network connection',
    table: 'DeviceNetworkEvents',
    actionTypes: ['ConnectionSuccess', 'InboundConnectionAccepted'],
    note: 'Initiated=false means the local side (Destination*) accepted the connection: InboundConnectionAccepted.',
    map: networkConnection,
  },
  {
    source: 'sysmon',
    eventId: 5,
    title: 'Process terminated',
    table: 'DeviceEvents',
    actionTypes: ['ProcessTerminated'],
    note: ours,
    map: initiatorOnly('ProcessTerminated'),
  },
  {
    source: 'sysmon',
    eventId: 6,
    title: 'Driver loaded',
    table: 'DeviceEvents',
    actionTypes: ['DriverLoad'],
    map: driverLoaded,
  },
  {
    source: 'sysmon',
    eventId: 7,
    title: 'Image loaded',
    table: 'DeviceImageLoadEvents',
    actionTypes: ['ImageLoaded'],
    map: imageLoaded,
  },
  {
    source: 'sysmon',
    eventId: 8,
    title: 'CreateRemoteThread',
    table: 'DeviceEvents',
    actionTypes: ['CreateRemoteThreadApiCall'],
    map: crossProcess('CreateRemoteThreadApiCall', 'Guid'),
  },
  {
    source: 'sysmon',
    eventId: 10,
    title: 'Process access',
    table: 'DeviceEvents',
    actionTypes: ['OpenProcessApiCall'],
    map: crossProcess('OpenProcessApiCall', 'GUID'),
  },
  {
    source: 'sysmon',
    eventId: 11,
    title: 'File created',
    table: 'DeviceFileEvents',
    actionTypes: ['FileCreated'],
    map: fileEvent('FileCreated', false),
  },
  {
    source: 'sysmon',
    eventId: 12,
    title: 'Registry key created or deleted',
    table: 'DeviceRegistryEvents',
    actionTypes: ['RegistryKeyCreated', 'RegistryKeyDeleted', 'RegistryValueDeleted'],
    map: registryEvent,
  },
  {
    source: 'sysmon',
    eventId: 13,
    title: 'Registry value set',
    table: 'DeviceRegistryEvents',
    actionTypes: ['RegistryValueSet'],
    map: registryEvent,
  },
  {
    source: 'sysmon',
    eventId: 14,
    title: 'Registry key renamed',
    table: 'DeviceRegistryEvents',
    actionTypes: ['RegistryKeyRenamed'],
    map: registryEvent,
  },
  {
    source: 'sysmon',
    eventId: 15,
    title: 'File stream created',
    table: 'DeviceFileEvents',
    actionTypes: ['FileCreated'],
    note: 'The stream is a file of its own (`file.exe:Zone.Identifier`); a Zone.Identifier HostUrl fills FileOriginUrl.',
    map: streamCreated,
  },
  {
    source: 'sysmon',
    eventId: 17,
    title: 'Pipe created',
    table: 'DeviceEvents',
    actionTypes: ['NamedPipeEvent'],
    map: pipeEvent('File created', 'Server'),
  },
  {
    source: 'sysmon',
    eventId: 18,
    title: 'Pipe connected',
    table: 'DeviceEvents',
    actionTypes: ['NamedPipeEvent'],
    map: pipeEvent('File opened', 'Client'),
  },
  {
    source: 'sysmon',
    eventId: 22,
    title: 'DNS query',
    table: 'DeviceEvents',
    actionTypes: ['DnsQueryResponse'],
    note: 'A query and its answer seen by the DNS client of a process, as DeviceEvents DnsQueryResponse; DnsConnectionInspected is for DNS seen on the wire, without a process.',
    map: dnsQuery,
  },
  {
    source: 'sysmon',
    eventId: 23,
    title: 'File deleted (archived)',
    table: 'DeviceFileEvents',
    actionTypes: ['FileDeleted'],
    map: fileEvent('FileDeleted', true),
  },
  {
    source: 'sysmon',
    eventId: 25,
    title: 'Process tampering',
    table: 'DeviceEvents',
    actionTypes: ['ProcessTampering'],
    note: ours,
    map: initiatorOnly('ProcessTampering'),
  },
  {
    source: 'sysmon',
    eventId: 26,
    title: 'File delete logged',
    table: 'DeviceFileEvents',
    actionTypes: ['FileDeleted'],
    map: fileEvent('FileDeleted', true),
  },
] as const satisfies readonly EventMapping[];
