import type { Diagnostic, SourceLocation } from '@vigil/base';

/** Builds a diagnostic of the Sigma loader. */
export function sigmaDiagnostic(
  code: string,
  message: string,
  location: SourceLocation,
  hint?: string,
  severity: 'error' | 'warning' = 'error',
): Diagnostic {
  return hint === undefined ? { code, message, severity, location } : { code, message, severity, location, hint };
}

/** Every diagnostic code of the Sigma loader and pipelines, with what it means. */
export const sigmaDiagnosticCodes = {
  SIGMA_YAML_SYNTAX: 'the file is not valid YAML',
  SIGMA_EMPTY_FILE: 'the file holds no YAML document',
  SIGMA_NOT_A_RULE: 'a document is not a YAML map',
  SIGMA_UNSUPPORTED_DOCUMENT: 'a document is neither a detection nor a correlation rule (e.g. a meta filter)',
  SIGMA_MISSING_TITLE: 'the rule has no title',
  SIGMA_BAD_LEVEL: 'the level is not informational, low, medium, high or critical (warning)',
  SIGMA_MISSING_LOGSOURCE: 'the rule has no logsource map',
  SIGMA_BAD_DETECTION: 'the detection section or a search identifier has a shape Sigma does not allow',
  SIGMA_MISSING_CONDITION: 'the detection has no condition',
  SIGMA_BAD_CONDITION: 'the condition does not parse',
  SIGMA_UNSUPPORTED_AGGREGATION: 'a Sigma v1 aggregation (`| count() by`) is used; write a correlation instead',
  SIGMA_UNKNOWN_IDENTIFIER: 'the condition names a search identifier the detection does not define',
  SIGMA_UNKNOWN_MODIFIER: 'a field uses a value modifier Sigma does not define',
  SIGMA_BAD_MODIFIER_VALUE: 'a modifier cannot apply to the value given (bad CIDR, number, exists flag, ...)',
  SIGMA_BAD_VALUE: 'a value is a list or map where text, a number, a boolean or null is needed',
  SIGMA_BAD_REGEX: 'a `re` value does not compile as a JavaScript regular expression',
  SIGMA_UNRESOLVED_PLACEHOLDER: 'an `expand` placeholder has no value in the map passed to the compiler',
  SIGMA_UNMAPPED_LOGSOURCE: 'no pipeline maps the logsource: the rule loads but cannot fire (warning)',
  SIGMA_BAD_CORRELATION: 'a correlation section is malformed',
  SIGMA_UNKNOWN_CORRELATION_TYPE: 'a correlation type other than event_count, value_count, temporal, temporal_ordered',
  SIGMA_BAD_TIMESPAN: 'a correlation timespan is not like 30s, 5m, 1h or 2d',
  SIGMA_UNKNOWN_CORRELATED_RULE: 'a correlation names a rule that is not loaded (or is itself a correlation)',
  PIPELINE_INVALID: 'pipeline data does not have the documented shape',
} as const;
