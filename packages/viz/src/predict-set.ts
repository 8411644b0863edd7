import type { Module } from '@cnn/layers';
import { predict } from '@cnn/train';
import * as tf from '@tensorflow/tfjs-core';
import { VizError } from './errors';

/** Class probabilities and predicted classes of a set. */
export interface SetPredictions {
  /** `[N, C]` softmax outputs, row-major. */
  probabilities: Float32Array;
  /** `[N]` argmax classes. */
  predicted: Int32Array;
  numClasses: number;
}

/**
 * Runs `model` (eval mode) on `count` 8-bit images of `height × width` (one channel, NHWC),
 * scaled to [0, 1] and normalised with `mean`/`std` as in training, and returns the softmax
 * probabilities and predicted classes. Tensors are freed.
 */
export function predictSet(
  model: Module,
  images: Uint8Array,
  shape: { count: number; height: number; width: number },
  norm: { mean: number; std: number } = { mean: 0.1307, std: 0.3081 },
): SetPredictions {
  const { count, height, width } = shape;
  if (images.length < count * height * width) {
    throw new VizError(
      'bad-input',
      `predictSet: ${images.length} pixels cannot hold ${count} images of ${height}×${width}`,
    );
  }
  const x = new Float32Array(count * height * width);
  for (let i = 0; i < x.length; i++) x[i] = (images[i]! / 255 - norm.mean) / norm.std;
  const input = tf.tensor4d(x, [count, height, width, 1]);
  try {
    const output = predict(model, input, 500);
    const [probs, classes] = tf.tidy(() => [tf.softmax(output), tf.argMax(output, 1)]);
    output.dispose();
    const numClasses = probs!.shape[1] ?? 1;
    const result = {
      probabilities: probs!.dataSync() as Float32Array,
      predicted: Int32Array.from(classes!.dataSync()),
      numClasses,
    };
    tf.dispose([probs!, classes!]);
    return result;
  } finally {
    input.dispose();
  }
}
