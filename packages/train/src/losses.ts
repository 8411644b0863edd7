import * as tf from '@tensorflow/tfjs-core';
import { CROSS_ENTROPY, NLL_LOSS } from '@cnn/kernels';
import { LabelRangeError, LossInputError } from './errors';
import { canFuseLoss, fusedCrossEntropy, fusedNllLoss } from './fused-loss';

/** How per-example losses are combined: PyTorch's `reduction` argument. */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Negative log-likelihood of the true class, given log-probabilities `[N, C]` and labels
 * (`[N]` class ids, or `[N, C]` one-hot / soft targets). Mean over the batch by default,
 * as `torch.nn.functional.nll_loss`.
 */
export function nllLoss(logProbs: tf.Tensor, labels: tf.Tensor, reduction: Reduction = 'mean'): tf.Tensor {
  checkInputs('nllLoss', logProbs, labels);
  if (canFuseLoss(NLL_LOSS, logProbs, labels, reduction)) return fusedNllLoss(logProbs, labels, reduction as 'mean');
  return tf.tidy(() => {
    const targets = labelsAsRows(labels, logProbs.shape[1]!);
    const perExample = tf.neg(tf.sum(tf.mul(logProbs, targets), 1));
    return reduce(perExample, reduction);
  });
}

/**
 * Cross-entropy from raw logits `[N, C]`: `logsumexp(logits) - logits[label]`, computed
 * through the numerically stable log-softmax so large logits do not overflow. With class ids and
 * 'mean' or 'sum', one fused kernel (and one for the gradient) where the backend has it.
 */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor, reduction: Reduction = 'mean'): tf.Tensor {
  checkInputs('crossEntropy', logits, labels);
  if (canFuseLoss(CROSS_ENTROPY, logits, labels, reduction)) {
    return fusedCrossEntropy(logits, labels, reduction as 'mean');
  }
  return tf.tidy(() => nllLoss(tf.logSoftmax(logits, 1), labels, reduction));
}

function reduce(perExample: tf.Tensor, reduction: Reduction): tf.Tensor {
  if (reduction === 'mean') return tf.mean(perExample);
  if (reduction === 'sum') return tf.sum(perExample);
  if (reduction === 'none') return perExample;
  throw new LossInputError(`reduction must be 'mean', 'sum' or 'none', got '${String(reduction)}'`);
}

/** Class ids become one-hot rows of the output's dtype; 2-D targets pass through. */
function labelsAsRows(labels: tf.Tensor, numClasses: number): tf.Tensor {
  if (labels.rank === 2) return labels.dtype === 'float32' ? labels : tf.cast(labels, 'float32');
  const ids = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
  // int32 one-hot then cast: some backends mis-fill a float32 OneHot (see requests-train.md).
  return tf.cast(tf.oneHot(ids as tf.Tensor1D, numClasses), 'float32');
}

function checkInputs(fn: string, output: tf.Tensor, labels: tf.Tensor): void {
  if (output.rank !== 2) {
    throw new LossInputError(`${fn}: expected model output of rank 2 [batch, classes], got shape [${output.shape}]`);
  }
  const [n, c] = output.shape as [number, number];
  if (labels.rank === 1) {
    if (labels.shape[0] !== n) {
      throw new LossInputError(`${fn}: output has ${n} rows but labels have ${labels.shape[0]} entries`);
    }
    checkLabelRange(fn, labels, c);
    return;
  }
  if (labels.rank === 2) {
    if (labels.shape[0] !== n || labels.shape[1] !== c) {
      throw new LossInputError(`${fn}: one-hot labels must have shape [${n},${c}], got [${labels.shape}]`);
    }
    return;
  }
  throw new LossInputError(
    `${fn}: labels must be [batch] class ids or [batch, classes] one-hot, got shape [${labels.shape}]`,
  );
}

/** Backends whose tensors live in JavaScript (or wasm) memory: reading labels there is no device sync. */
export const HOST_MEMORY_BACKENDS: ReadonlySet<string> = new Set(['cpu', 'native', 'wasm', 'tensorflow']);

/**
 * Throws LabelRangeError at the first class id that is not an integer in 0..classes-1. Without
 * it, a label >= classes one-hot encodes to a row of zeros and silently contributes a loss of 0.
 * Skipped on GPU backends, where reading the labels would wait for the device.
 */
export function checkLabelRange(fn: string, labels: tf.Tensor, classes: number): void {
  if (!HOST_MEMORY_BACKENDS.has(tf.getBackend())) return;
  const values = labels.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!(Number.isInteger(v) && v >= 0 && v < classes)) throw new LabelRangeError(fn, v, i, classes);
  }
}
