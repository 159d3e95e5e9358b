import type { AlertSeverity, AlertStatus, Classification } from '@vigil/protocol';

/** An entity an alert is about: Defender's evidence item. */
export interface Evidence {
  readonly entityType: 'Machine' | 'Process' | 'File' | 'Ip' | 'Url' | 'User' | 'Registry';
  readonly evidenceCreationTime: string;
  readonly [field: string]: unknown;
}

/** A comment on an alert. */
export interface AlertComment {
  readonly comment: string;
  readonly createdBy: string;
  readonly createdTime: string;
}

/** An alert, in the shape of Defender's alert entity. */
export interface Alert {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: AlertSeverity;
  readonly status: AlertStatus;
  readonly classification: Classification | null;
  readonly determination: string | null;
  readonly category: string;
  readonly detectionSource: string;
  readonly detectorId: string;
  readonly mitreTechniques: readonly string[];
  readonly recommendedAction: string;
  readonly alertCreationTime: string;
  readonly firstEventTime: string;
  readonly lastEventTime: string;
  readonly lastUpdateTime: string;
  readonly resolvedTime: string | null;
  readonly assignedTo: string | null;
  readonly machineId: string | null;
  readonly computerDnsName: string | null;
  /** How many events this alert stands for (deduplicated repeats add up here). */
  readonly eventCount: number;
  readonly dedupKey: string;
  readonly evidence: readonly Evidence[];
  readonly comments: readonly AlertComment[];
}

/** What a detector found: the facts an alert is made from. */
export interface Detection {
  readonly detectorId: string;
  readonly title: string;
  readonly description?: string;
  readonly severity: AlertSeverity;
  readonly category: string;
  /** `CustomTi` (indicators), `Sigma`, `CustomDetection`, … */
  readonly detectionSource: string;
  readonly mitreTechniques?: readonly string[];
  readonly recommendedAction?: string;
  /** Repeats with the same key while the alert is open are counted into it instead of raising a new one. */
  readonly dedupKey: string;
}
