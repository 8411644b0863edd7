import * as tf from '@tensorflow/tfjs-core';
import { clipGradNorm } from './clip';
import { TrainingError } from './errors';
import type { Optimizer } from './optimizer';
import type { Batch, LossFn, TrainableModel } from './types';

export interface StepResult {
  /** Mean loss of the batch before the update. */
  loss: tf.Scalar;
  /** Model output for the batch (before the update). */
  output: tf.Tensor;
  /** Global gradient norm before clipping, when clipping is on. */
  gradNorm?: tf.Scalar;
}

/**
 * One optimisation step: forward, loss, gradients of every trainable parameter
 * (`tf.variableGrads`), optional global-norm clipping, optimizer update. Every intermediate
 * is freed; the caller owns (and must dispose) the returned tensors. Nothing is read back
 * from the device, so the step does not force a sync.
 */
export function trainStep(
  model: TrainableModel,
  // biome-ignore lint/suspicious/noExplicitAny: any optimizer subclass
  optimizer: Optimizer<any>,
  lossFn: LossFn,
  batch: Batch,
  maxGradNorm?: number,
): StepResult {
  const params = model
    .namedParameters()
    .map(([, v]) => v)
    .filter((v) => v.trainable);
  if (params.length === 0) throw new TrainingError('trainStep: the model has no trainable parameters');
  return tf.tidy(() => {
    let output: tf.Tensor | undefined;
    const { value, grads } = tf.variableGrads(() => {
      output = tf.keep(model.apply(batch.x));
      const loss = lossFn(output, batch.y);
      if (loss.rank !== 0) throw new TrainingError(`loss must return a scalar, got shape [${loss.shape}]`);
      return loss as tf.Scalar;
    }, params);
    let gradNorm: tf.Scalar | undefined;
    let finalGrads = grads;
    if (maxGradNorm !== undefined) {
      const clipped = clipGradNorm(grads, maxGradNorm);
      finalGrads = clipped.grads;
      gradNorm = clipped.totalNorm;
    }
    optimizer.step(finalGrads);
    return gradNorm ? { loss: value, output: output!, gradNorm } : { loss: value, output: output! };
  });
}
