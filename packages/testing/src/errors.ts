/** A helper of `@cnn/testing` was called with an argument it cannot use (the message names it). */
export class TestingArgumentError extends Error {
  override name = 'TestingArgumentError';
}

/**
 * A fixture file is missing, is not JSON, or holds a field its reader does not know (or lacks
 * one it needs). `file` is the fixture's file name, `field` the dotted path of the field.
 */
export class FixtureError extends Error {
  override name = 'FixtureError';

  constructor(
    readonly file: string,
    readonly field: string,
    problem: string,
  ) {
    super(`fixture ${file}${field ? `, field "${field}"` : ''}: ${problem}`);
  }
}

/**
 * `expectClose` found elements out of tolerance, or a shape mismatch. The fields describe the
 * worst element (largest excess over `atol + rtol * |expected|`).
 */
export class ToleranceError extends Error {
  override name = 'ToleranceError';

  constructor(
    message: string,
    readonly index: number,
    readonly actual: number,
    readonly expected: number,
    readonly failures: number,
  ) {
    super(message);
  }
}
