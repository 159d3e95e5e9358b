import type { Diagnostic } from '@vigil/base';

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

/** What an indicator names. */
export type IndicatorType = (typeof indicatorTypes)[number];

/** What happens when an indicator matches: alert, audit (alert when asked), block (alert; agents enforce), allow. */
export const indicatorActions = ['Alert', 'Audit', 'Block', 'Allowed'] as const;

/** An indicator action. */
export type IndicatorAction = (typeof indicatorActions)[number];

/** Alert severities. */
export const severities = ['Informational', 'Low', 'Medium', 'High'] as const;

/** An alert severity. */
export type Severity = (typeof severities)[number];

/** A custom indicator, in the shape of Defender's ti-indicator entity. */
export interface Indicator {
  readonly id: string;
  readonly indicatorValue: string;
  readonly indicatorType: IndicatorType;
  readonly action: IndicatorAction;
  readonly title: string;
  readonly description: string;
  readonly severity: Severity;
  readonly recommendedActions: string;
  readonly generateAlert: boolean;
  readonly mitreTechniques: readonly string[];
  readonly expirationTime: string | null;
  readonly creationTimeDateTimeUtc: string;
  readonly lastUpdateTime: string;
  readonly createdBy: string;
  readonly externalId: string | null;
}

/** An indicator as submitted: value, type and action are required; the rest has defaults. */
export type IndicatorInput = Partial<Omit<Indicator, 'id' | 'creationTimeDateTimeUtc' | 'lastUpdateTime'>> &
  Pick<Indicator, 'indicatorValue' | 'indicatorType' | 'action'>;

/** The outcome of validating one submitted indicator. */
export type IndicatorCheck =
  | { readonly ok: true; readonly value: Omit<Indicator, 'id' | 'createdBy'> }
  | { readonly ok: false; readonly diagnostic: Diagnostic };
