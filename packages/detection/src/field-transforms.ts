/** A normalized row. */
type Row = Readonly<Record<string, unknown>>;

const hives: readonly (readonly [RegExp, string])[] = [
  [/^HKEY_LOCAL_MACHINE(?=\\|$)/i, 'HKLM'],
  [/^HKEY_CURRENT_USER(?=\\S-)/i, 'HKU'],
  [/^HKEY_CURRENT_USER(?=\\|$)/i, 'HKCU'],
  [/^HKEY_USERS(?=\\|$)/i, 'HKU'],
  [/^HKEY_CLASSES_ROOT(?=\\|$)/i, 'HKCR'],
  [/^HKEY_CURRENT_CONFIG(?=\\|$)/i, 'HKCC'],
];

/** A Defender registry key in Sysmon's spelling (`HKEY_LOCAL_MACHINE\X` → `HKLM\X`, user hives → `HKU\<SID>`). */
export function sysmonRegistryKey(key: string): string {
  for (const [pattern, short] of hives) if (pattern.test(key)) return key.replace(pattern, short);
  return key;
}

const hex8 = (n: bigint) => `0x${n.toString(16).padStart(8, '0')}`;

function text(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'bigint' ? String(v) : undefined;
}

/** Sysmon's `TargetObject` rebuilt from the registry columns. */
function targetObject(row: Row): string | undefined {
  const renamed = row.ActionType === 'RegistryKeyRenamed';
  const key = text(renamed ? row.PreviousRegistryKey : row.RegistryKey);
  if (key === undefined) return undefined;
  const name = renamed ? undefined : text(row.RegistryValueName);
  return sysmonRegistryKey(name === undefined ? key : `${key}\\${name}`);
}

/** Sysmon's `Details` rebuilt from RegistryValueType/Data (`Dword 1` → `DWORD (0x00000001)`). */
function registryDetails(row: Row): string | undefined {
  const type = text(row.RegistryValueType)?.toLowerCase();
  const data = text(row.RegistryValueData);
  if (type === 'binary') return 'Binary Data';
  if (data === undefined || !/^\d+$/.test(data)) return data;
  if (type === 'dword') return `DWORD (${hex8(BigInt(data))})`;
  if (type === 'qword') {
    const v = BigInt(data);
    return `QWORD (${hex8(v >> 32n)}-${hex8(v & 0xffffffffn)})`;
  }
  return data;
}

/**
 * Values computed from several columns in the spelling a source used, for pipelines to name
 * (`{"transform": "sysmonRegistryDetails"}`), when the event carries no original field.
 */
export const fieldTransforms = {
  sysmonTargetObject: targetObject,
  sysmonRegistryDetails: registryDetails,
  sysmonRegistryNewName: (row: Row) => {
    const key = text(row.RegistryKey);
    return key === undefined ? undefined : sysmonRegistryKey(key);
  },
} satisfies Readonly<Record<string, (row: Row) => unknown>>;

/** The name of a field transform. */
export type FieldTransformName = keyof typeof fieldTransforms;

/** Whether a name is a known field transform. */
export function isFieldTransform(name: string): name is FieldTransformName {
  return Object.hasOwn(fieldTransforms, name);
}
