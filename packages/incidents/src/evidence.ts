import type { Evidence } from './alert.js';

type Row = Readonly<Record<string, unknown>>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function compact(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== ''));
}

/** The entities of an event row as alert evidence: the machine, processes, files, addresses, URLs and users. */
export function evidenceFromRow(table: string, row: Row, at: string): Evidence[] {
  const out: Evidence[] = [];
  const add = (entityType: Evidence['entityType'], fields: Record<string, unknown>) => {
    const f = compact(fields);
    if (Object.keys(f).length > 0) out.push({ entityType, evidenceCreationTime: at, ...f });
  };
  add('Machine', { machineId: str(row.DeviceId), computerDnsName: str(row.DeviceName) });
  if (table === 'DeviceProcessEvents') {
    add('Process', {
      processId: row.ProcessId,
      processCommandLine: str(row.ProcessCommandLine),
      fileName: str(row.FileName),
      filePath: str(row.FolderPath),
      sha1: str(row.SHA1),
      sha256: str(row.SHA256),
      processCreationTime: str(row.ProcessCreationTime),
      parentProcessId: row.InitiatingProcessId,
      parentProcessFileName: str(row.InitiatingProcessFileName),
      parentProcessFilePath: str(row.InitiatingProcessFolderPath),
    });
  } else {
    add('Process', {
      processId: row.InitiatingProcessId,
      processCommandLine: str(row.InitiatingProcessCommandLine),
      fileName: str(row.InitiatingProcessFileName),
      filePath: str(row.InitiatingProcessFolderPath),
      sha1: str(row.InitiatingProcessSHA1),
      sha256: str(row.InitiatingProcessSHA256),
    });
    if (str(row.FileName) || str(row.SHA1)) {
      add('File', {
        fileName: str(row.FileName),
        filePath: str(row.FolderPath),
        sha1: str(row.SHA1),
        sha256: str(row.SHA256),
      });
    }
  }
  add('Ip', { ipAddress: str(row.RemoteIP) });
  add('Url', { url: str(row.RemoteUrl) ?? str(row.FileOriginUrl) });
  add('User', {
    accountName: str(row.AccountName) ?? str(row.InitiatingProcessAccountName),
    domainName: str(row.AccountDomain) ?? str(row.InitiatingProcessAccountDomain),
    userSid: str(row.AccountSid) ?? str(row.InitiatingProcessAccountSid),
  });
  if (str(row.RegistryKey))
    add('Registry', { registryKey: str(row.RegistryKey), registryValue: str(row.RegistryValueData) });
  return out;
}
