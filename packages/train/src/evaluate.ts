import * as tf from '@tensorflow/tfjs-core';
import { disposeBatch, epochBatches, iterate } from './batches';
import { TrainingError } from './errors';
import { crossEntropy } from './losses';
import { ConfusionMatrix, classIds } from './metrics';
import type { Batch, BatchSource, LossFn, TrainableModel } from './types';

export interface EvaluateOptions {
  /** Loss to average (weighted by batch size). Default cross-entropy on logits. */
  loss?: LossFn;
  /** Number of classes for the confusion matrix. Default: the model output width. */
  numClasses?: number;
  /** Called after each batch (tensors are freed when it returns). */
  onBatchEnd?: (info: EvalBatchInfo) => void | Promise<void>;
}

/** What `evaluate` hands to `onBatchEnd`. */
export interface EvalBatchInfo {
  /** Batches done (1-based). */
  batch: number;
  data: Batch;
  output: tf.Tensor;
  /** Mean loss of this batch. */
  loss: number;
  predicted: Int32Array;
  actual: Int32Array;
}

export interface EvaluateResult {
  loss: number;
  accuracy: number;
  correct: number;
  total: number;
  /** Accuracy of each true class (NaN for a class with no examples). */
  perClass: number[];
  confusion: ConfusionMatrix;
}

/**
 * Runs the model in evaluation mode (dropout off, batch-norm running statistics) over every
 * batch and reports mean loss, accuracy, per-class accuracy and the confusion matrix. The
 * model's previous mode is restored afterwards. Batches from a source function are disposed.
 */
export async function evaluate(
  model: TrainableModel,
  data: BatchSource,
  options: EvaluateOptions = {},
): Promise<EvaluateResult> {
  const lossFn = options.loss ?? crossEntropy;
  const wasTraining = model.training;
  model.train(false);
  const { batches, owned } = epochBatches(data, 0);
  let confusion: ConfusionMatrix | undefined;
  let lossSum = 0;
  let total = 0;
  let batchNo = 0;
  try {
    for await (const batch of iterate(batches)) {
      const [output, loss] = tf.tidy(() => {
        const out = model.apply(batch.x);
        return [out, lossFn(out, batch.y)];
      });
      try {
        const n = batch.x.shape[0]!;
        const batchLoss = (await loss!.data())[0]!;
        lossSum += batchLoss * n;
        total += n;
        confusion ??= new ConfusionMatrix(options.numClasses ?? output!.shape[1] ?? 0);
        const { predicted, actual } = classIds(output!, batch.y);
        confusion.add(predicted, actual);
        batchNo += 1;
        await options.onBatchEnd?.({
          batch: batchNo,
          data: batch,
          output: output!,
          loss: batchLoss,
          predicted,
          actual,
        });
      } finally {
        output!.dispose();
        loss!.dispose();
        if (owned) disposeBatch(batch);
      }
    }
  } finally {
    model.train(wasTraining);
  }
  if (!confusion) throw new TrainingError('evaluate: the data yielded no batches');
  return {
    loss: lossSum / total,
    accuracy: confusion.accuracy,
    correct: confusion.correct,
    total,
    perClass: confusion.perClassAccuracy(),
    confusion,
  };
}

/**
 * Model outputs for `x` in evaluation mode, computed `batchSize` examples at a time and
 * concatenated. The caller owns the returned tensor.
 */
export function predict(model: TrainableModel, x: tf.Tensor, batchSize = 256): tf.Tensor {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) {
    throw new TrainingError(`predict: batchSize must be a positive integer, got ${batchSize}`);
  }
  const n = x.shape[0];
  if (!n)
    throw new TrainingError(`predict: x must have a batch dimension with at least one example, got shape [${x.shape}]`);
  const wasTraining = model.training;
  model.train(false);
  try {
    return tf.tidy(() => {
      const parts: tf.Tensor[] = [];
      for (let start = 0; start < n; start += batchSize) {
        const size = Math.min(batchSize, n - start);
        parts.push(model.apply(tf.slice(x, start, size)));
      }
      return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
    });
  } finally {
    model.train(wasTraining);
  }
}
