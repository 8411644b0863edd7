import {
  CROSS_ENTROPY,
  CROSS_ENTROPY_GRAD,
  CROSS_ENTROPY_OUTPUTS,
  type FusedReduction,
  hasFusedKernel,
  NLL_LOSS,
  NLL_LOSS_GRAD,
  type NllLossGradAttrs,
  namedOutputs,
} from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import type { Reduction } from './losses';

let registered = false;

/**
 * The gradients of the fused loss kernels, one kernel each. Registered on first use: registration
 * is global to tfjs, and importing this package has no side effects.
 */
function registerGradients(): void {
  if (registered) return;
  registered = true;
  if (tf.getGradient(CROSS_ENTROPY) === undefined) {
    tf.registerGradient({
      kernelName: CROSS_ENTROPY,
      inputsToSave: ['logits', 'labels'],
      outputsToSave: CROSS_ENTROPY_OUTPUTS.map((name) => name === 'logSumExp'),
      gradFunc: (dys, saved, attrs) => {
        const dy = Array.isArray(dys) ? (dys[0] as tf.Tensor) : dys;
        const [logits, labels, logSumExp] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const inputs = { dy, logits, labels, logSumExp };
        const dLogits = tf
          .engine()
          .runKernel(CROSS_ENTROPY_GRAD, inputs, { reduction: attrs.reduction as FusedReduction }) as tf.Tensor;
        // Labels are class ids: no gradient, zeros keep the tape complete should they be on a path.
        return { logits: () => dLogits, labels: () => tf.zerosLike(labels) };
      },
    });
  }
  if (tf.getGradient(NLL_LOSS) === undefined) {
    tf.registerGradient({
      kernelName: NLL_LOSS,
      inputsToSave: ['labels'],
      gradFunc: (dy, saved, attrs) => {
        const [labels] = saved as [tf.Tensor];
        const gradAttrs: NllLossGradAttrs = {
          reduction: attrs.reduction as FusedReduction,
          classes: attrs.classes as number,
        };
        const inputs = { dy: dy as tf.Tensor, labels };
        const d = tf.engine().runKernel(NLL_LOSS_GRAD, inputs, { ...gradAttrs }) as tf.Tensor;
        return { logProbs: () => d, labels: () => tf.zerosLike(labels) };
      },
    });
  }
}

/**
 * Whether `kernel` can compute this loss: the active backend has it (and fused kernels are on),
 * the labels are `[N]` class ids and the reduction is 'mean' or 'sum'.
 */
export function canFuseLoss(kernel: string, output: tf.Tensor, labels: tf.Tensor, reduction: Reduction): boolean {
  return (
    labels.rank === 1 &&
    output.dtype === 'float32' &&
    (reduction === 'mean' || reduction === 'sum') &&
    hasFusedKernel(kernel)
  );
}

function int32(labels: tf.Tensor): tf.Tensor {
  return labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
}

/** Cross-entropy on logits `[N, C]` and class ids `[N]` as one CROSS_ENTROPY kernel (and one for its gradient). */
export function fusedCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, reduction: FusedReduction): tf.Scalar {
  registerGradients();
  return tf.tidy(() => {
    const outs = tf.engine().runKernel(CROSS_ENTROPY, { logits, labels: int32(labels) }, { reduction }) as tf.Tensor[];
    return namedOutputs(CROSS_ENTROPY_OUTPUTS, outs).loss as tf.Scalar;
  });
}

/** Negative log-likelihood on log-probabilities `[N, C]` and class ids `[N]` as one NLL_LOSS kernel. */
export function fusedNllLoss(logProbs: tf.Tensor, labels: tf.Tensor, reduction: FusedReduction): tf.Scalar {
  registerGradients();
  const attrs: NllLossGradAttrs = { reduction, classes: logProbs.shape[1] as number };
  return tf.tidy(() => tf.engine().runKernel(NLL_LOSS, { logProbs, labels: int32(labels) }, { ...attrs }) as tf.Scalar);
}
