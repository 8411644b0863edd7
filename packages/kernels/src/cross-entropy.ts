import type { TensorInfo } from '@tensorflow/tfjs-core';

/** How the per-example losses of {@link CROSS_ENTROPY} are combined (torch `reduction`, without 'none'). */
export type FusedReduction = 'mean' | 'sum';

/**
 * Kernel name of the fused cross-entropy forward on logits (torch `F.cross_entropy`): log-softmax
 * and negative log-likelihood of the true class in one kernel, stable for large logits.
 *
 * Inputs ({@link CrossEntropyInputs}):
 * - `logits`: `(N, C)` float32;
 * - `labels`: `(N)` int32 class ids in `[0, C)` (others are a kernel error, not a silent 0).
 *
 * Attrs ({@link CrossEntropyAttrs}): `reduction`.
 *
 * Outputs, in the order of {@link CROSS_ENTROPY_OUTPUTS}:
 * - `loss`: `()`, the mean (or sum) over rows of `logSumExp[i] - logits[i, labels[i]]`;
 * - `logSumExp`: `(N)`, `log(sum_j exp(logits[i, j]))` per row, which the backward reuses.
 */
export const CROSS_ENTROPY = 'CnnCrossEntropy';

/** Inputs of {@link CROSS_ENTROPY}. */
export interface CrossEntropyInputs<T = TensorInfo> {
  logits: T;
  labels: T;
}

/** Attributes of {@link CROSS_ENTROPY} and {@link CROSS_ENTROPY_GRAD}. */
export interface CrossEntropyAttrs {
  reduction: FusedReduction;
}

/** The outputs of {@link CROSS_ENTROPY}, by position. */
export const CROSS_ENTROPY_OUTPUTS = ['loss', 'logSumExp'] as const;

/**
 * Kernel name of the fused cross-entropy backward.
 *
 * Inputs ({@link CrossEntropyGradInputs}): `dy` `()` (the loss's gradient), `logits` `(N, C)`,
 * `labels` `(N)` int32 and `logSumExp` `(N)` from {@link CROSS_ENTROPY}.
 *
 * Output: `dLogits` `(N, C)` = `(exp(logits - logSumExp) - onehot(labels)) * dy`, divided by `N`
 * for the 'mean' reduction.
 */
export const CROSS_ENTROPY_GRAD = 'CnnCrossEntropyGrad';

/** Inputs of {@link CROSS_ENTROPY_GRAD}. */
export interface CrossEntropyGradInputs<T = TensorInfo> {
  dy: T;
  logits: T;
  labels: T;
  logSumExp: T;
}

/**
 * Kernel name of the fused log-softmax over the last axis (torch `nn.LogSoftmax(dim=-1)`).
 *
 * Input `x` `(N, C)` float32 (any rank >= 1; rows are the last axis); output `y` of the same
 * shape, `x - log(sum(exp(x)))` per row, stable for large values.
 */
export const LOG_SOFTMAX = 'CnnLogSoftmax';

/**
 * Kernel name of the log-softmax backward.
 *
 * Inputs `dy` and `y` (the forward's output), one shape; output `dx` = `dy - exp(y) * sum(dy)`
 * per row.
 */
export const LOG_SOFTMAX_GRAD = 'CnnLogSoftmaxGrad';

/** Inputs of {@link LOG_SOFTMAX_GRAD}. */
export interface LogSoftmaxGradInputs<T = TensorInfo> {
  dy: T;
  y: T;
}

/**
 * Kernel name of the fused negative log-likelihood (torch `F.nll_loss`) on log-probabilities.
 *
 * Inputs ({@link NllLossInputs}): `logProbs` `(N, C)` float32, `labels` `(N)` int32 in `[0, C)`.
 * Attrs: {@link CrossEntropyAttrs}. Output `loss` `()`: the mean (or sum) of
 * `-logProbs[i, labels[i]]`. Its gradient, `-onehot(labels) * dy` (over `N` for 'mean'), is
 * {@link NLL_LOSS_GRAD} with inputs `dy` `()` and `labels`, and attrs `reduction` and `classes`.
 */
export const NLL_LOSS = 'CnnNllLoss';

/** Inputs of {@link NLL_LOSS}. */
export interface NllLossInputs<T = TensorInfo> {
  logProbs: T;
  labels: T;
}

/** Kernel name of the backward of {@link NLL_LOSS}. */
export const NLL_LOSS_GRAD = 'CnnNllLossGrad';

/** Attributes of {@link NLL_LOSS_GRAD}: the reduction and the class count `C` of the output. */
export interface NllLossGradAttrs extends CrossEntropyAttrs {
  classes: number;
}
