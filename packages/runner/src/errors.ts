/**
 * A command-line flag the runner cannot use: unknown, missing its value, or a value out of
 * range. `flag` names it, `found` is what was given, `expected` what would do. Apps print the
 * message and exit with code 2.
 */
export class RunFlagError extends Error {
  override readonly name = 'RunFlagError';
  constructor(
    readonly flag: string,
    readonly found: string | undefined,
    readonly expected: string,
  ) {
    super(found === undefined ? `${flag}: ${expected}` : `${flag}: expected ${expected}, found '${found}'`);
  }
}

/** A run directory that cannot be used: `--resume` without a checkpoint, or an unreadable file. */
export class RunDirError extends Error {
  override readonly name = 'RunDirError';
  constructor(
    readonly dir: string,
    message: string,
  ) {
    super(`${dir}: ${message}`);
  }
}
