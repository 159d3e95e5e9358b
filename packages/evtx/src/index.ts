/** Public shapes: records, the rendered XML tree, System fields, problems and their codes. */
export {
  type EvtxFieldsItem,
  type EvtxFieldsRecord,
  type EvtxItem,
  type EvtxPlain,
  type EvtxProblem,
  type EvtxProblemCode,
  type EvtxRecord,
  type EvtxSystem,
  evtxProblemCodes,
  type ReadEvtxOptions,
  type XmlElement,
  type XmlNode,
} from './evtx-types.js';
/** Streaming EVTX reader over byte pieces of any size, and its synchronous twin for bytes in memory. */
export { readEvtx, readEvtxBytes } from './read-evtx.js';
/** Builds small valid EVTX files from event descriptions, for tests, fixtures and benchmarks. */
export {
  buildSyntheticEvtx,
  encode,
  type SyntheticEvent,
  type SyntheticValue,
  type SyntheticXml,
} from './synthetic-evtx.js';
