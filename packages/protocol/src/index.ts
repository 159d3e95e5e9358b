export { closestNames } from './closest.js';
export { normalizeDatetime } from './datetime.js';
export { type RowProblem, RowValidator, type ValidatorOptions, type ValidRow } from './row-validator.js';
