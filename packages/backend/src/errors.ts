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

/** An environment setting of @cnn/backend (e.g. CNN_WASM_THREADS) with a value it cannot use. */
export class BackendSettingError extends Error {
  override readonly name = 'BackendSettingError';
  constructor(
    /** The variable, e.g. 'CNN_WASM_THREADS'. */
    readonly setting: string,
    readonly value: string,
    /** What would have been accepted, in words. */
    readonly expected: string,
  ) {
    super(`@cnn/backend: ${setting}='${value}' is not valid; expected ${expected}`);
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
