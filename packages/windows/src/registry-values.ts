// Registry paths and values as Defender shows them. Sysmon abbreviates hives (`HKLM\...`, `HKU\<SID>\...`) and
// renders values as `DWORD (0x00000001)`; Defender writes full hive names, user hives as
// `HKEY_CURRENT_USER\<SID>\...`, and the value's data as text with a separate RegistryValueType.

const hives: ReadonlyArray<readonly [RegExp, string]> = [
  [/^HKLM(?=\\|$)/i, 'HKEY_LOCAL_MACHINE'],
  [/^HKU\\\.DEFAULT(?=\\|$)/i, 'HKEY_USERS\\.DEFAULT'],
  [/^HKU(?=\\S-)/i, 'HKEY_CURRENT_USER'],
  [/^HKU(?=\\|$)/i, 'HKEY_USERS'],
  [/^HKCU(?=\\|$)/i, 'HKEY_CURRENT_USER'],
  [/^HKCR(?=\\|$)/i, 'HKEY_CLASSES_ROOT'],
  [/^HKCC(?=\\|$)/i, 'HKEY_CURRENT_CONFIG'],
];

/** A registry key path with its hive spelled out as Defender does (`HKLM\X` → `HKEY_LOCAL_MACHINE\X`). */
export function defenderRegistryKey(path: string): string {
  for (const [pattern, hive] of hives) {
    if (pattern.test(path)) return path.replace(pattern, hive);
  }
  return path;
}

/** Splits the path of a registry value (`key\valueName`) into the key, in Defender's form, and the value name. */
export function splitRegistryValue(path: string): { key: string; valueName?: string } {
  const cut = path.lastIndexOf('\\');
  if (cut < 0) return { key: defenderRegistryKey(path) };
  return { key: defenderRegistryKey(path.slice(0, cut)), valueName: path.slice(cut + 1) };
}

/**
 * The type and data of a registry value from Sysmon's `Details` text: `DWORD (0x0000002a)` → Dword `42`,
 * `QWORD (0x00000001-0x00000000)` → Qword `4294967296`, `Binary Data` → Binary with no data; anything else is
 * string data (Sysmon does not tell REG_SZ from REG_EXPAND_SZ, so both read as `String`).
 */
export function registryValueFromDetails(details: string | undefined): { type?: string; data?: string } {
  if (details === undefined) return {};
  const dword = /^DWORD \((0x[0-9a-f]{1,8})\)$/i.exec(details);
  if (dword?.[1] !== undefined) return { type: 'Dword', data: String(Number.parseInt(dword[1].slice(2), 16)) };
  const qword = /^QWORD \((0x[0-9a-f]{1,8})-(0x[0-9a-f]{1,8})\)$/i.exec(details);
  if (qword?.[1] !== undefined && qword[2] !== undefined) {
    const value = (BigInt(qword[1].toLowerCase()) << 32n) | BigInt(qword[2].toLowerCase());
    return { type: 'Qword', data: value.toString() };
  }
  if (details === 'Binary Data') return { type: 'Binary' };
  return { type: 'String', data: details };
}
