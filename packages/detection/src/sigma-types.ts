import type { Diagnostic, SourceLocation } from '@vigil/base';

/** A Sigma logsource: any of product, category and service. */
export interface Logsource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

/** A YAML value with the place in the file where it was written. */
export interface Located<T> {
  readonly value: T;
  readonly location: SourceLocation;
}

/** One `field|mod|mod: value(s)` item of a detection map. */
export interface FieldItem {
  /** Undefined for keyword (list) detections. */
  readonly field: string | undefined;
  readonly modifiers: readonly string[];
  readonly values: readonly unknown[];
  readonly location: SourceLocation;
}

/** A named search identifier of the detection section: maps are ANDed items, lists of maps are ORed. */
export type SearchIdentifier =
  | { readonly kind: 'map'; readonly items: readonly FieldItem[] }
  | { readonly kind: 'any'; readonly alternatives: readonly SearchIdentifier[] }
  | { readonly kind: 'keywords'; readonly item: FieldItem };

/** The parsed condition expression. */
export type ConditionNode =
  | { readonly kind: 'and'; readonly children: readonly ConditionNode[] }
  | { readonly kind: 'or'; readonly children: readonly ConditionNode[] }
  | { readonly kind: 'not'; readonly child: ConditionNode }
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'of'; readonly quantifier: 'all' | number; readonly pattern: string };

/** A detection rule after collection: metadata, logsource and detection, not yet compiled. */
export interface CollectedDetectionRule {
  readonly kind: 'detection';
  readonly file: string;
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: string;
  readonly status: string | undefined;
  readonly tags: readonly string[];
  readonly logsource: Logsource;
  readonly identifiers: ReadonlyMap<string, SearchIdentifier>;
  readonly conditions: readonly Located<string>[];
  readonly location: SourceLocation;
}

/** The kinds of Sigma v2 correlation. */
export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

/** A comparison of a correlation condition (`gte: 10`). */
export interface CountCondition {
  readonly gt?: number;
  readonly gte?: number;
  readonly lt?: number;
  readonly lte?: number;
  readonly eq?: number;
  readonly field?: string;
}

/** A correlation rule after collection. */
export interface CollectedCorrelationRule {
  readonly kind: 'correlation';
  readonly file: string;
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: string;
  readonly status: string | undefined;
  readonly tags: readonly string[];
  readonly type: CorrelationType;
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  readonly condition: CountCondition;
  readonly aliases: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly generate: boolean;
  readonly location: SourceLocation;
}

/** Any collected rule. */
export type CollectedRule = CollectedDetectionRule | CollectedCorrelationRule;

/** A rule file's text with the name used in diagnostics. */
export interface RuleSource {
  readonly path: string;
  readonly text: string;
}

/** Diagnostics plus a value, the result shape of every loader stage. */
export interface StageResult<T> {
  readonly value: T;
  readonly diagnostics: readonly Diagnostic[];
}
