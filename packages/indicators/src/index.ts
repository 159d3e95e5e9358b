/** The indicator model of Defender: types, actions, severities. */
export {
  type Indicator,
  type IndicatorAction,
  type IndicatorCheck,
  type IndicatorInput,
  type IndicatorType,
  indicatorActions,
  indicatorTypes,
  type Severity,
  severities,
} from './indicator.js';
/** Matches hunting rows against indicators, and the columns each type is compared with. */
export { type IndicatorMatch, IndicatorMatcher, indicatorColumns } from './indicator-matcher.js';
/** Reads indicators out of a STIX 2.1 bundle. */
export { readStixBundle, type StixIndicator } from './stix-bundle.js';
/** Checks a submitted indicator and normalizes its value. */
export { normalizeIndicatorValue, validateIndicator } from './validate-indicator.js';
