import type { CorrelationType } from './sigma-types.js';

/** A rule that fired on an event (detection) or on a sequence of base-rule matches (correlation). */
export interface RuleMatch {
  readonly kind: 'detection' | 'correlation';
  readonly ruleId: string;
  readonly title: string;
  readonly level: string;
  readonly tags: readonly string[];
  /** ATT&CK technique ids from `attack.tNNNN` tags, upper case (`T1059.001`). */
  readonly techniques: readonly string[];
  readonly file: string;
  /** True when only correlations use this rule (`generate: false`), so it should raise no alert of its own. */
  readonly correlationOnly?: boolean;
  readonly correlation?: CorrelationMatchInfo;
}

/** What a correlation match aggregated. */
export interface CorrelationMatchInfo {
  readonly type: CorrelationType;
  /** The group-by field values. */
  readonly group: Readonly<Record<string, string>>;
  /** Events counted (event_count), distinct values (value_count) or distinct rules seen (temporal). */
  readonly count: number;
  /** Time of the first and last contributing event, epoch milliseconds. */
  readonly firstTime: number;
  readonly lastTime: number;
  /** Ids of the base rules whose matches contributed. */
  readonly ruleIds: readonly string[];
}
