// Sample Sysmon registry events (12, 13, 14) for the mapping tests, with the columns they must fill.
import { actor, initiating, type MappingSample, sysmon } from './sysmon-samples.js';

/** Samples of Sysmon registry events: key created, key deleted, value deleted, value set, key renamed. */
export const sysmonRegistrySamples: readonly MappingSample[] = [
  {
    name: '12 key created',
    event: sysmon(12, {
      ...actor,
      EventType: 'CreateKey',
      TargetObject: 'HKU\\S-1-5-21-2323213074-4052461197-1785501644-1104\\Software\\Microsoft\\Windows',
    }),
    table: 'DeviceRegistryEvents',
    columns: {
      ActionType: 'RegistryKeyCreated',
      RegistryKey: 'HKEY_CURRENT_USER\\S-1-5-21-2323213074-4052461197-1785501644-1104\\Software\\Microsoft\\Windows',
      ...initiating,
    },
  },
  {
    name: '12 key deleted',
    event: sysmon(12, {
      ...actor,
      EventType: 'DeleteKey',
      TargetObject: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\MiniNt',
    }),
    table: 'DeviceRegistryEvents',
    columns: {
      ActionType: 'RegistryKeyDeleted',
      RegistryKey: 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\MiniNt',
    },
  },
  {
    name: '12 value deleted',
    event: sysmon(12, {
      ...actor,
      EventType: 'DeleteValue',
      TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater',
    }),
    table: 'DeviceRegistryEvents',
    columns: {
      ActionType: 'RegistryValueDeleted',
      RegistryKey: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
      RegistryValueName: 'Updater',
    },
  },
  {
    name: '13 value set',
    event: sysmon(13, {
      ...actor,
      EventType: 'SetValue',
      TargetObject: 'HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Start',
      Details: 'DWORD (0x00000004)',
    }),
    table: 'DeviceRegistryEvents',
    columns: {
      ActionType: 'RegistryValueSet',
      RegistryKey: 'HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Services\\EventLog',
      RegistryValueName: 'Start',
      RegistryValueType: 'Dword',
      RegistryValueData: '4',
      ...initiating,
    },
  },
  {
    name: '14 key renamed',
    event: sysmon(14, {
      ...actor,
      EventType: 'RenameKey',
      TargetObject: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\S-1-5-21-1-2-3-1106.bak',
      NewName: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\S-1-5-21-1-2-3-1106',
    }),
    table: 'DeviceRegistryEvents',
    columns: {
      ActionType: 'RegistryKeyRenamed',
      RegistryKey:
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\S-1-5-21-1-2-3-1106',
      PreviousRegistryKey:
        'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList\\S-1-5-21-1-2-3-1106.bak',
    },
  },
];
