/** Loader stage 1: reads every YAML document of a text, keeping the line and column of each node. */

/** Per-rule load status for `vigil rules check`. */
export { checkRules, type RuleCheck } from './check-rules.js';
/** Parses a Sigma timespan (`5m`) into milliseconds. */
export { parseTimespan } from './collect-correlation.js';
/** Loader stage 2: collects detection and correlation rules from YAML documents. */
export { collectRules } from './collect-rules.js';
/** Resolves a correlation's rule references against compiled base rules. */
export { type CompiledCorrelation, compileCorrelation } from './compile-correlation.js';
/** The registry of every supported Sigma value modifier. */
export { sigmaModifiers } from './compile-field-item.js';
/** Loader stage 3: compiles a detection rule with the pipelines into an evaluable rule. */
export { attackTechniques, type CompiledRule, type CompileOptions, compileRule } from './compile-rule.js';
/** The time-windowed state of correlation rules. */
export { CorrelationState } from './correlation-state.js';
/** The event shape the evaluator consumes. */
export type { DetectionEvent, EventPlatform } from './detection-event.js';
/** A per-event view with lazily parsed original fields, shared by all rules evaluated on it. */
export { EventView } from './event-view.js';
/** Named value transforms that pipelines may use (`{"transform": "sysmonRegistryDetails"}`). */
export { type FieldTransformName, fieldTransforms, sysmonRegistryKey } from './field-transforms.js';
/** Reads and collects the rules of many files at once (stages 1 and 2). */
export { type LoadedFile, loadRules } from './load-rules.js';
/** Parses a Sigma condition into a tree. */
export { parseCondition } from './parse-condition.js';
/** Field-mapping pipelines (data in content/pipelines/): types, validation and logsource resolution. */
export {
  type FieldMapping,
  type LogsourceMapping,
  type Pipeline,
  type PipelineTarget,
  parsePipeline,
  type ResolvedLogsource,
  resolveLogsource,
} from './pipeline.js';
export { plainYaml, readYaml, type YamlDocument, type YamlEntry, type YamlNode } from './read-yaml.js';
/** What the evaluator reports when a rule fires. */
export type { CorrelationMatchInfo, RuleMatch } from './rule-match.js';
/** Compiles rules into an immutable, indexed, literal-prefiltered ruleset that matches events. */
export { compileRuleset, type Ruleset } from './ruleset.js';
/** Builds a Sigma loader diagnostic, and the registry of every diagnostic code with its meaning. */
export { sigmaDiagnostic, sigmaDiagnosticCodes } from './sigma-diagnostic.js';
/** Parses Sigma's wildcard/escape string syntax. */
export { parseSigmaString, type SigmaString, type Wildcard } from './sigma-string.js';
/** The shapes of collected rules and of loader stage results. */
export type {
  CollectedCorrelationRule,
  CollectedDetectionRule,
  CollectedRule,
  ConditionNode,
  CorrelationType,
  CountCondition,
  FieldItem,
  Logsource,
  RuleSource,
  SearchIdentifier,
  StageResult,
} from './sigma-types.js';
