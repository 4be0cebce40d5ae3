/**
 * A history that cannot be read or does not make sense (a return with no
 * invocation, an operation the model does not know, a value of the wrong shape).
 * The message names the file and line, or the event, and what was expected.
 */
export class HistoryError extends Error {
  override readonly name = 'HistoryError';
}

/** Where an event came from, for error messages: `file:line` or `event #i`. */
export interface SourceMap {
  readonly file?: string;
  /** 1-based source line of each event, parallel to the event array. */
  readonly lines?: readonly number[];
}

export function where(source: SourceMap | undefined, eventIndex: number): string {
  const line = source?.lines?.[eventIndex];
  const file = source?.file ?? '<history>';
  return line === undefined ? `${file}: event #${eventIndex + 1}` : `${file}:${line}`;
}
