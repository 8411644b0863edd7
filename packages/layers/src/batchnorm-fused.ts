import {
  BATCH_NORM_GRAD,
  BATCH_NORM_GRAD_OUTPUTS,
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_OUTPUTS,
  type BatchNormTrainAttrs,
  namedOutputs,
} from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';

/** What one fused training-mode batch norm returns. */
export interface FusedBatchNormResult {
  /** The normalised output, shape of x. */
  y: tf.Tensor;
  /** The updated running mean `[C]`, to assign to the buffer. */
  runningMean: tf.Tensor;
  /** The updated (unbiased) running variance `[C]`. */
  runningVar: tf.Tensor;
}

let gradientRegistered = false;

/**
 * The gradient of BATCH_NORM_TRAIN is the single BATCH_NORM_GRAD kernel. Registered on first use
 * (registration is global to tfjs and this package has no import-time side effects).
 */
function registerGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  if (tf.getGradient(BATCH_NORM_TRAIN) !== undefined) return;
  tf.registerGradient({
    kernelName: BATCH_NORM_TRAIN,
    inputsToSave: ['x', 'scale'],
    // Of the outputs, the backward needs mean and invStd.
    outputsToSave: BATCH_NORM_TRAIN_OUTPUTS.map((name) => name === 'mean' || name === 'invStd'),
    gradFunc: (dys, saved) => {
      const dy = Array.isArray(dys) ? (dys[0] as tf.Tensor) : dys;
      const [x, scale, mean, invStd] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
      const outs = tf.engine().runKernel(BATCH_NORM_GRAD, { dy, x, scale, mean, invStd }, {}) as tf.Tensor[];
      const { dx, dScale, dOffset } = namedOutputs(BATCH_NORM_GRAD_OUTPUTS, outs);
      // The running statistics are buffers, never on a gradient path; zeros keep the tape complete.
      return {
        x: () => dx,
        scale: () => dScale,
        offset: () => dOffset,
        runningMean: () => tf.zerosLike(mean),
        runningVar: () => tf.zerosLike(mean),
      };
    },
  });
}

/**
 * Training-mode batch norm over the last axis as one BATCH_NORM_TRAIN kernel of the active
 * backend (callers check `hasFusedKernel(BATCH_NORM_TRAIN)` first), with its gradient as one
 * BATCH_NORM_GRAD kernel. Returns the output and the new running statistics; the caller assigns
 * those and disposes what it does not keep.
 */
export function fusedBatchNormTrain(
  x: tf.Tensor,
  scale: tf.Tensor,
  offset: tf.Tensor,
  runningMean: tf.Tensor,
  runningVar: tf.Tensor,
  attrs: BatchNormTrainAttrs,
): FusedBatchNormResult {
  registerGradient();
  const outs = tf
    .engine()
    .runKernel(BATCH_NORM_TRAIN, { x, scale, offset, runningMean, runningVar }, { ...attrs }) as tf.Tensor[];
  const named = namedOutputs(BATCH_NORM_TRAIN_OUTPUTS, outs);
  tf.dispose([named.mean, named.invStd]); // the tape keeps its own references for the backward
  return { y: named.y, runningMean: named.runningMean, runningVar: named.runningVar };
}
