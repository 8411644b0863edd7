/** What went wrong in a native kernel: the kind the addon reported (see native/guard.cc). */
export type NativeKernelProblem = 'geometry' | 'argument' | 'onednn' | 'memory' | 'internal';

const CODES: Record<string, NativeKernelProblem> = {
  CNN_NATIVE_ONEDNN: 'onednn',
  CNN_NATIVE_MEMORY: 'memory',
  CNN_NATIVE_INTERNAL: 'internal',
};

/**
 * A kernel of the `native` backend refused its input or failed (oneDNN error, out of memory).
 * Thrown instead of ending the process; names the tfjs kernel and the shapes it was given.
 *
 * Example: `tf.conv2d(tf.ones([1, 3, 3, 1]), tf.ones([5, 5, 1, 8]), 1, 'valid')` on `native` throws
 * `NativeKernelError: @cnn/backend native Conv2D (x [1,3,3,1], filter [5,5,1,8]): output would be [1,-1,-1,8]: ...`.
 */
export class NativeKernelError extends Error {
  override readonly name = 'NativeKernelError';
  constructor(
    /** The tfjs kernel, e.g. 'Conv2D'. */
    readonly kernel: string,
    /** The input shapes by name, e.g. `{ x: [1, 3, 3, 1], filter: [5, 5, 1, 8] }`. */
    readonly shapes: Readonly<Record<string, readonly number[]>>,
    /** The kind of failure. */
    readonly problem: NativeKernelProblem,
    /** What was wrong, in words. */
    readonly detail: string,
  ) {
    const list = Object.entries(shapes)
      .map(([k, s]) => `${k} [${s.join(',')}]`)
      .join(', ');
    super(`@cnn/backend native ${kernel} (${list}): ${detail}`);
  }

  /** Wraps an error thrown by the addon; `code` (set by native/guard.cc) gives the problem. */
  static fromAddon(kernel: string, shapes: Record<string, readonly number[]>, err: unknown): NativeKernelError {
    const e = err as { code?: unknown; message?: unknown };
    const checked = err instanceof RangeError || err instanceof TypeError; // the addon's argument checks
    const problem = CODES[String(e?.code)] ?? (checked ? 'argument' : 'internal');
    return new NativeKernelError(kernel, shapes, problem, String(e?.message ?? err));
  }
}
