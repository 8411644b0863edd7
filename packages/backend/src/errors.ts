/** A backend that was asked for by name cannot run here; `reason` says why, `hint` how to get it. */
export class BackendUnavailableError extends Error {
  override readonly name = 'BackendUnavailableError';
  constructor(
    /** The backend that was asked for. */
    readonly backend: string,
    /** Why it cannot run, e.g. "@tensorflow/tfjs-node is not installed". */
    readonly reason: string,
    /** What to do about it, e.g. an install command. */
    readonly hint: string,
  ) {
    super(`@cnn/backend: backend '${backend}' is not available: ${reason}. ${hint}`);
  }
}

/** A `--backend` flag or CNN_BACKEND value that names no backend. */
export class BackendFlagError extends Error {
  override readonly name = 'BackendFlagError';
  constructor(
    /** Where the bad value came from: '--backend' or 'CNN_BACKEND'. */
    readonly source: string,
    /** The value given (undefined when the flag had no value). */
    readonly value: string | undefined,
    /** The accepted values. */
    readonly valid: readonly string[],
  ) {
    super(
      value === undefined
        ? `@cnn/backend: ${source} needs a value, one of: ${valid.join(', ')}`
        : `@cnn/backend: ${source}='${value}' is not a backend; expected one of: ${valid.join(', ')}`,
    );
  }
}

/** A wasm training kernel was given input it does not handle (a layout or dtype). */
export class WasmKernelInputError extends Error {
  override readonly name = 'WasmKernelInputError';
  constructor(
    /** The kernel, e.g. 'Conv2DBackpropFilter'. */
    readonly kernel: string,
    /** What was wrong, e.g. "dataFormat 'NCHW' (expected 'NHWC')". */
    readonly problem: string,
  ) {
    super(`@cnn/backend wasm ${kernel}: unsupported ${problem}`);
  }
}
