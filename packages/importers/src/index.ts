/** Expands files and folders into the files the importer reads. */
export { importExtensions, listInputs } from './list-inputs.js';
/** Reads one telemetry file of any supported format into hunting rows, and guesses a file's format. */
export { detectFormat, readTelemetry } from './read-telemetry.js';
/** What the importer yields: rows and problems, and the formats it knows. */
export type { TelemetryFormat, TelemetryItem } from './telemetry-item.js';
