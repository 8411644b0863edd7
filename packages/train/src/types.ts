import type * as tf from '@tensorflow/tfjs-core';

/** One mini-batch: inputs `x` (NHWC images) and labels `y` (int32 class ids or one-hot rows). */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
}

/** Anything that yields batches once, synchronously or asynchronously. */
export type BatchIterable = Iterable<Batch> | AsyncIterable<Batch>;

/**
 * Where batches come from: an array (walked again each epoch; its tensors stay the caller's),
 * a function `(epoch) => iterable`, an object with an `epoch(e)` method (@cnn/datasets'
 * `BatchIterator`), or any other (async) iterable; the tensors of all but arrays are disposed
 * after use. For `resume` to reproduce a run, epoch `e` must give the same batches in the
 * same order every time (derive any shuffle from a seed and `e`, not from a shared RNG).
 */
export type BatchSource = BatchIterable | ((epoch: number) => BatchIterable);

/**
 * The part of `@cnn/layers`' `Module` the training code relies on. Every `Module` fits;
 * declaring it structurally keeps this package usable with any model of that shape.
 */
export interface TrainableModel {
  training: boolean;
  apply(x: tf.Tensor): tf.Tensor;
  namedParameters(): [string, tf.Variable][];
  namedBuffers(): [string, tf.Variable][];
  train(mode?: boolean): unknown;
}

/** Gradients by name: what `tf.variableGrads` returns (keyed by variable name), or a Map. */
export type GradMap = Map<string, tf.Tensor> | Record<string, tf.Tensor>;

/** A loss: model output and labels in, a scalar tensor out (e.g. `crossEntropy`, `nllLoss`). */
export type LossFn = (output: tf.Tensor, labels: tf.Tensor) => tf.Tensor;
