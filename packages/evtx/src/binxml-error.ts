/** Malformed BinXML or an undecodable value, at a chunk-relative offset. */
export class BinXmlError extends Error {
  override name = 'BinXmlError';
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}
