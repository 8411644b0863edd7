import type { TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Kernel name of the fused batch-norm forward in training mode (torch's `native_batch_norm` with
 * `training=True`): batch statistics, the normalised output and the running-statistics update in
 * one kernel.
 *
 * Inputs ({@link BatchNormTrainInputs}), all float32:
 * - `x`: `(N, H, W, C)` (any rank >= 2, channels last; statistics over every other axis);
 * - `scale` (gamma), `offset` (beta), `runningMean`, `runningVar`: `(C)`.
 *
 * Attrs ({@link BatchNormTrainAttrs}): `epsilon` > 0 and `momentum` in [0, 1].
 *
 * Outputs, in the order of {@link BATCH_NORM_TRAIN_OUTPUTS}:
 * - `y`: shape of `x`, `offset + (x - mean) * scale * invStd`;
 * - `mean`: `(C)`, the batch mean;
 * - `invStd`: `(C)`, `1 / sqrt(var + epsilon)` with the biased batch variance `var`;
 * - `runningMean`: `(C)`, `(1 - momentum) * runningMean + momentum * mean`;
 * - `runningVar`: `(C)`, `(1 - momentum) * runningVar + momentum * var * M / (M - 1)` (unbiased;
 *   `M` = elements per channel, which must be at least 2).
 */
export const BATCH_NORM_TRAIN = 'CnnBatchNormTrain';

/** Inputs of {@link BATCH_NORM_TRAIN}. */
export interface BatchNormTrainInputs<T = TensorInfo> {
  x: T;
  scale: T;
  offset: T;
  runningMean: T;
  runningVar: T;
}

/** Attributes of {@link BATCH_NORM_TRAIN}. */
export interface BatchNormTrainAttrs {
  /** Added to the variance before the square root (torch `eps`). */
  epsilon: number;
  /** Weight of this batch in the new running statistics (torch `momentum`; the caller resolves `null`). */
  momentum: number;
}

/** The outputs of {@link BATCH_NORM_TRAIN}, by position. */
export const BATCH_NORM_TRAIN_OUTPUTS = ['y', 'mean', 'invStd', 'runningMean', 'runningVar'] as const;

/** The outputs of {@link BATCH_NORM_TRAIN} by name. */
export type BatchNormTrainOutputs<T = TensorInfo> = Record<(typeof BATCH_NORM_TRAIN_OUTPUTS)[number], T>;

/**
 * Kernel name of the fused batch-norm backward (training mode): the three gradients in one pass.
 *
 * Inputs ({@link BatchNormGradInputs}): `dy` and `x` of one shape `(N, H, W, C)`, and `scale`,
 * `mean`, `invStd` `(C)` (the latter two as {@link BATCH_NORM_TRAIN} returned them).
 *
 * Outputs, in the order of {@link BATCH_NORM_GRAD_OUTPUTS}, with `xhat = (x - mean) * invStd` and
 * sums over every axis but the channel one (`M` elements each):
 * - `dx`: shape of `x`, `scale * invStd * (dy - sum(dy) / M - xhat * sum(dy * xhat) / M)`;
 * - `dScale`: `(C)`, `sum(dy * xhat)`;
 * - `dOffset`: `(C)`, `sum(dy)`.
 */
export const BATCH_NORM_GRAD = 'CnnBatchNormGrad';

/** Inputs of {@link BATCH_NORM_GRAD}. */
export interface BatchNormGradInputs<T = TensorInfo> {
  dy: T;
  x: T;
  scale: T;
  mean: T;
  invStd: T;
}

/** The outputs of {@link BATCH_NORM_GRAD}, by position. */
export const BATCH_NORM_GRAD_OUTPUTS = ['dx', 'dScale', 'dOffset'] as const;

/** The outputs of {@link BATCH_NORM_GRAD} by name. */
export type BatchNormGradOutputs<T = TensorInfo> = Record<(typeof BATCH_NORM_GRAD_OUTPUTS)[number], T>;

/** Names the positional outputs of a kernel: `namedOutputs(BATCH_NORM_GRAD_OUTPUTS, outs).dx`. */
export function namedOutputs<K extends string, T>(names: readonly K[], outputs: readonly T[]): Record<K, T> {
  if (outputs.length !== names.length) {
    throw new RangeError(`expected ${names.length} kernel outputs (${names.join(', ')}), got ${outputs.length}`);
  }
  return Object.fromEntries(names.map((name, i) => [name, outputs[i]])) as Record<K, T>;
}
