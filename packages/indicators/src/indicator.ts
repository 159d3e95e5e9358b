import type { Diagnostic } from '@vigil/base';
import type { AlertSeverity, IndicatorAction, IndicatorType } from '@vigil/protocol';

/** Alert severities. */
export {
  alertSeverities as severities,
  type IndicatorAction,
  type IndicatorType,
  indicatorActions,
  indicatorTypes,
} from '@vigil/protocol';

/** An alert severity. */
export type Severity = AlertSeverity;

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
