import type * as tf from '@tensorflow/tfjs-core';

/** Where a flattened tensor came from, so a Linear that rejects it can say so. */
export interface FlattenOrigin {
  /** The step that flattened, e.g. `'6' (Flatten)` or `flatten() in Net.forward`. */
  from: string;
  /** The shape before flattening, e.g. [N, 7, 7, 32]. */
  shape: number[];
}

// Keyed by the tensor object: entries go away with the tensors, nothing to clean up.
const origins = new WeakMap<tf.Tensor, FlattenOrigin>();

/** Records that `output` is the flattened form of a tensor of shape `shape`, made by `from`. */
export function recordFlatten(output: tf.Tensor, from: string, shape: readonly number[]): void {
  origins.set(output, { from, shape: [...shape] });
}

/** The flatten step that (directly or through shape-preserving layers) produced `t`, if any. */
export function flattenOrigin(t: tf.Tensor): FlattenOrigin | undefined {
  return origins.get(t);
}

/**
 * Passes the origin of `input` on to `output` when a layer keeps the shape
 * (ReLU, Dropout, ...), so `Flatten → ReLU → Linear` still names the Flatten.
 */
export function carryFlattenOrigin(input: tf.Tensor, output: tf.Tensor): void {
  if (output === input || origins.has(output)) return;
  const origin = origins.get(input);
  if (origin && output.rank === input.rank && output.shape.every((d, i) => d === input.shape[i]))
    origins.set(output, origin);
}
