import { describe, expect, it } from 'vitest';
import { defenderRegistryKey, registryValueFromDetails, splitRegistryValue } from './registry-values.js';

describe('registry values', () => {
  it.each([
    ['HKLM\\SOFTWARE\\Microsoft', 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft'],
    ['HKU\\S-1-5-21-1-2-3-1104\\Software\\Run', 'HKEY_CURRENT_USER\\S-1-5-21-1-2-3-1104\\Software\\Run'],
    ['HKU\\.DEFAULT\\Software', 'HKEY_USERS\\.DEFAULT\\Software'],
    ['HKCR\\CLSID\\{x}', 'HKEY_CLASSES_ROOT\\CLSID\\{x}'],
    ['HKLMX\\y', 'HKLMX\\y'],
    ['HKEY_LOCAL_MACHINE\\x', 'HKEY_LOCAL_MACHINE\\x'],
  ])('spells out %s', (input, expected) => {
    expect(defenderRegistryKey(input)).toBe(expected);
  });

  it('splits a value path into key and value name', () => {
    expect(splitRegistryValue('HKLM\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Start')).toEqual({
      key: 'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\EventLog',
      valueName: 'Start',
    });
  });

  it.each([
    ['DWORD (0x0000002a)', { type: 'Dword', data: '42' }],
    ['QWORD (0x00000001-0x00000000)', { type: 'Qword', data: '4294967296' }],
    ['Binary Data', { type: 'Binary' }],
    [
      '%SystemRoot%\\system32\\svchost.exe -k netsvcs',
      { type: 'String', data: '%SystemRoot%\\system32\\svchost.exe -k netsvcs' },
    ],
    [undefined, {}],
  ])('reads Details %j', (details, expected) => {
    expect(registryValueFromDetails(details)).toEqual(expected);
  });
});
