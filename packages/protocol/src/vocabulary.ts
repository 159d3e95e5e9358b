// Defender's alert and indicator vocabularies, as its API spells them: shared by the server packages that enforce
// them and the portal that offers them.

/** Alert severities (most severe last). */
export const alertSeverities = ['Informational', 'Low', 'Medium', 'High'] as const;
/** Alert statuses. */
export const alertStatuses = ['New', 'InProgress', 'Resolved'] as const;
/** Classifications and the determinations each allows. */
export const determinations = {
  TruePositive: [
    'MultiStagedAttack',
    'MaliciousUserActivity',
    'CompromisedUser',
    'Malware',
    'Phishing',
    'UnwantedSoftware',
    'Other',
  ],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedUserActivity', 'Other'],
  FalsePositive: ['Clean', 'InsufficientData', 'Other'],
} as const;

/** An alert severity. */
export type AlertSeverity = (typeof alertSeverities)[number];
/** An alert status. */
export type AlertStatus = (typeof alertStatuses)[number];
/** An alert classification. */
export type Classification = keyof typeof determinations;

/** The indicator types of Defender's API. */
export const indicatorTypes = [
  'FileSha1',
  'FileSha256',
  'FileMd5',
  'IpAddress',
  'DomainName',
  'Url',
  'CertificateThumbprint',
] as const;
/** What happens when an indicator matches: alert, audit (alert when asked), block (alert; agents enforce), allow. */
export const indicatorActions = ['Alert', 'Audit', 'Block', 'Allowed'] as const;

/** What an indicator names. */
export type IndicatorType = (typeof indicatorTypes)[number];
/** An indicator action. */
export type IndicatorAction = (typeof indicatorActions)[number];
