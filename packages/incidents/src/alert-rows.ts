import type { Alert } from './alert.js';

/** The AlertInfo row and AlertEvidence rows of an alert, so that hunting queries can join alerts to events. */
export function alertTableRows(alert: Alert): {
  AlertInfo: Record<string, unknown>[];
  AlertEvidence: Record<string, unknown>[];
} {
  const common = {
    Timestamp: alert.alertCreationTime,
    AlertId: alert.id,
    Title: alert.title,
    ServiceSource: 'Vigil',
    DetectionSource: alert.detectionSource,
    AttackTechniques: JSON.stringify(alert.mitreTechniques),
  };
  const evidence = alert.evidence.map((e) => {
    const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const row: Record<string, unknown> = {
      ...common,
      Categories: JSON.stringify([alert.category]),
      EntityType: e.entityType,
      EvidenceRole: e.entityType === 'Machine' ? 'Impacted' : 'Related',
      Severity: alert.severity,
      DeviceId: alert.machineId ?? undefined,
      DeviceName: alert.computerDnsName ?? undefined,
      FileName: s(e.fileName),
      FolderPath: s(e.filePath),
      SHA1: s(e.sha1),
      SHA256: s(e.sha256),
      RemoteIP: s(e.ipAddress),
      RemoteUrl: s(e.url),
      AccountName: s(e.accountName),
      AccountDomain: s(e.domainName),
      AccountSid: s(e.userSid),
      ProcessCommandLine: s(e.processCommandLine),
      RegistryKey: s(e.registryKey),
      AdditionalFields: JSON.stringify(e),
    };
    return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
  });
  return {
    AlertInfo: [{ ...common, Category: alert.category, Severity: alert.severity }],
    AlertEvidence: evidence,
  };
}
