/** What was wrong with the input of a `@cnn/viz` function. */
export type VizErrorCode =
  | 'empty-log' // a metrics log with nothing to plot (no record, or no finite value)
  | 'bad-input' // arrays of the wrong length or shape, bad options
  | 'unreadable' // a file that is missing or cannot be read
  | 'no-model'; // introspection asked of a model without conv layers

/**
 * The one error type of `@cnn/viz`: `code` says what kind of input was wrong and `file`,
 * when there is one, names the file it came from.
 */
export class VizError extends Error {
  override name = 'VizError';
  constructor(
    readonly code: VizErrorCode,
    message: string,
    readonly file?: string,
  ) {
    super(file && !message.includes(file) ? `${file}: ${message}` : message);
  }
}
