import { pathColumns } from './event-columns.js';
import type { EventMapping, MappedEvent } from './event-mapping.js';
import { bool, long, text } from './field-values.js';
import {
  callerProcessColumns,
  failureReason,
  integrityLevel,
  logonTypeName,
  memberName,
  remoteEndpointColumns,
  serviceBinaryColumns,
  sid,
  subjectColumns,
  targetAccountColumns,
  tokenElevation,
} from './security-columns.js';
import type { WindowsEvent } from './windows-event.js';

function elevated(value: unknown): boolean | undefined {
  const s = text(value);
  return s === '%%1842' ? true : s === '%%1843' ? false : bool(s);
}

function logon(actionType: 'LogonSuccess' | 'LogonFailed'): (e: WindowsEvent) => MappedEvent {
  return (e) => {
    const d = e.data;
    return {
      columns: {
        ActionType: actionType,
        LogonType: logonTypeName(d.LogonType),
        ...targetAccountColumns(d),
        Protocol: text(d.AuthenticationPackageName),
        FailureReason: actionType === 'LogonFailed' ? failureReason(d.Status, d.SubStatus) : undefined,
        IsLocalAdmin: actionType === 'LogonSuccess' ? elevated(d.ElevatedToken) : undefined,
        LogonId: actionType === 'LogonSuccess' ? long(d.TargetLogonId) : undefined,
        RemoteDeviceName: text(d.WorkstationName),
        ...remoteEndpointColumns(d),
        ...callerProcessColumns(d),
        ...subjectColumns(d),
      },
    };
  };
}

function explicitCredentials(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: {
      ActionType: 'LogonAttempted',
      AccountName: text(d.TargetUserName),
      AccountDomain: text(d.TargetDomainName),
      RemoteDeviceName: text(d.TargetServerName),
      ...remoteEndpointColumns(d),
      ...callerProcessColumns(d),
      ...subjectColumns(d),
    },
  };
}

function processCreated(e: WindowsEvent): MappedEvent {
  const d = e.data;
  // The new process runs as the Target account when Windows names one (v2 events), else as the Subject.
  const target = sid(d.TargetUserSid) !== undefined;
  const targetLogon = long(d.TargetLogonId);
  return {
    columns: {
      ActionType: 'ProcessCreated',
      ...pathColumns(d.NewProcessName),
      ProcessId: long(d.NewProcessId),
      ProcessCommandLine: text(d.CommandLine),
      ProcessIntegrityLevel: integrityLevel(d.MandatoryLabel),
      ProcessTokenElevation: tokenElevation(d.TokenElevationType),
      ProcessCreationTime: e.timeCreated,
      AccountSid: sid(target ? d.TargetUserSid : d.SubjectUserSid),
      AccountName: text(target ? d.TargetUserName : d.SubjectUserName),
      AccountDomain: text(target ? d.TargetDomainName : d.SubjectDomainName),
      LogonId: targetLogon !== undefined && targetLogon !== 0 ? targetLogon : long(d.SubjectLogonId),
      ...callerProcessColumns(d, 'ParentProcessName', 'ProcessId'),
      ...subjectColumns(d),
    },
  };
}

function serviceInstalled(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: { ActionType: 'ServiceInstalled', ...serviceBinaryColumns(d.ServiceFileName), ...subjectColumns(d) },
  };
}

function taskCreated(e: WindowsEvent): MappedEvent {
  const d = e.data;
  const pid = long(d.ClientProcessId);
  const startKey = text(d.ClientProcessStartKey);
  return {
    columns: {
      ActionType: 'ScheduledTaskCreated',
      ...subjectColumns(d),
      InitiatingProcessId: pid === 0 ? undefined : pid,
      InitiatingProcessUniqueId: startKey === '0' ? undefined : startKey,
    },
  };
}

function accountChange(actionType: string): (e: WindowsEvent) => MappedEvent {
  return (e) => ({ columns: { ActionType: actionType, ...targetAccountColumns(e.data), ...subjectColumns(e.data) } });
}

function addedToGroup(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: {
      ActionType: 'UserAccountAddedToLocalGroup',
      AccountSid: sid(d.MemberSid),
      AccountName: memberName(d.MemberName),
      ...subjectColumns(d),
    },
    additional: {
      GroupName: text(d.TargetUserName),
      GroupDomainName: text(d.TargetDomainName),
      GroupSid: sid(d.TargetSid),
    },
  };
}

function logCleared(e: WindowsEvent): MappedEvent {
  return { columns: { ActionType: 'SecurityLogCleared', ...subjectColumns(e.data) } };
}

const groupNote =
  'Defender has one ActionType for group additions; the AdditionalFields GroupName, GroupDomainName and GroupSid name the group.';

function logoff(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: {
      ActionType: 'Logoff',
      LogonType: logonTypeName(d.LogonType),
      ...targetAccountColumns(d),
      LogonId: long(d.TargetLogonId),
    },
  };
}

function privilegedLogon(e: WindowsEvent): MappedEvent {
  const d = e.data;
  return {
    columns: {
      ActionType: 'PrivilegedLogon',
      AccountSid: sid(d.SubjectUserSid),
      AccountName: text(d.SubjectUserName),
      AccountDomain: text(d.SubjectDomainName),
      LogonId: long(d.SubjectLogonId),
    },
  };
}

/** Security log event ids with the table and ActionType Defender uses (or, where Defender has none, ours). */
export const securityMappings = [
  {
    source: 'security',
    eventId: 4624,
    title: 'An account was successfully logged on',
    table: 'DeviceLogonEvents',
    actionTypes: ['LogonSuccess'],
    map: logon('LogonSuccess'),
  },
  {
    source: 'security',
    eventId: 4625,
    title: 'An account failed to log on',
    table: 'DeviceLogonEvents',
    actionTypes: ['LogonFailed'],
    map: logon('LogonFailed'),
  },
  {
    source: 'security',
    eventId: 4634,
    title: 'An account was logged off',
    table: 'DeviceLogonEvents',
    actionTypes: ['Logoff'],
    note: 'Defender records no logoffs; Vigil keeps them in DeviceLogonEvents under its own ActionType Logoff.',
    map: logoff,
  },
  {
    source: 'security',
    eventId: 4672,
    title: 'Special privileges assigned to new logon',
    table: 'DeviceEvents',
    actionTypes: ['PrivilegedLogon'],
    note: 'Defender folds this into IsLocalAdmin of the logon; Vigil keeps it as DeviceEvents PrivilegedLogon, with the PrivilegeList in AdditionalFields.',
    map: privilegedLogon,
  },
  {
    source: 'security',
    eventId: 4648,
    title: 'A logon was attempted using explicit credentials',
    table: 'DeviceLogonEvents',
    actionTypes: ['LogonAttempted'],
    note: 'The outcome is not in the event, so LogonAttempted; the account is the one whose credentials were used.',
    map: explicitCredentials,
  },
  {
    source: 'security',
    eventId: 4688,
    title: 'A new process has been created',
    table: 'DeviceProcessEvents',
    actionTypes: ['ProcessCreated'],
    map: processCreated,
  },
  {
    source: 'security',
    eventId: 4697,
    title: 'A service was installed in the system',
    table: 'DeviceEvents',
    actionTypes: ['ServiceInstalled'],
    map: serviceInstalled,
  },
  {
    source: 'security',
    eventId: 4698,
    title: 'A scheduled task was created',
    table: 'DeviceEvents',
    actionTypes: ['ScheduledTaskCreated'],
    map: taskCreated,
  },
  {
    source: 'security',
    eventId: 4720,
    title: 'A user account was created',
    table: 'DeviceEvents',
    actionTypes: ['UserAccountCreated'],
    map: accountChange('UserAccountCreated'),
  },
  {
    source: 'security',
    eventId: 4722,
    title: 'A user account was enabled',
    table: 'DeviceEvents',
    actionTypes: ['UserAccountModified'],
    map: accountChange('UserAccountModified'),
  },
  {
    source: 'security',
    eventId: 4724,
    title: "An attempt was made to reset an account's password",
    table: 'DeviceEvents',
    actionTypes: ['UserAccountModified'],
    map: accountChange('UserAccountModified'),
  },
  {
    source: 'security',
    eventId: 4726,
    title: 'A user account was deleted',
    table: 'DeviceEvents',
    actionTypes: ['UserAccountDeleted'],
    map: accountChange('UserAccountDeleted'),
  },
  {
    source: 'security',
    eventId: 4728,
    title: 'A member was added to a security-enabled global group',
    table: 'DeviceEvents',
    actionTypes: ['UserAccountAddedToLocalGroup'],
    note: groupNote,
    map: addedToGroup,
  },
  {
    source: 'security',
    eventId: 4732,
    title: 'A member was added to a security-enabled local group',
    table: 'DeviceEvents',
    actionTypes: ['UserAccountAddedToLocalGroup'],
    map: addedToGroup,
  },
  {
    source: 'security',
    eventId: 4756,
    title: 'A member was added to a security-enabled universal group',
    table: 'DeviceEvents',
    actionTypes: ['UserAccountAddedToLocalGroup'],
    note: groupNote,
    map: addedToGroup,
  },
  {
    source: 'security',
    eventId: 1102,
    title: 'The audit log was cleared',
    table: 'DeviceEvents',
    actionTypes: ['SecurityLogCleared'],
    map: logCleared,
  },
] as const satisfies readonly EventMapping[];
