import * as tf from '@tensorflow/tfjs-core';
import { defaultGenerator, type Generator } from './random';

/** A float32 tensor of `shape` with values uniform in [-bound, bound), drawn from `generator`. */
export function uniform(shape: number[], bound: number, generator: Generator = defaultGenerator): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = generator.uniform(-bound, bound);
  return tf.tensor(values, shape, 'float32');
}

/**
 * Kaiming (He) uniform initialisation as torch.nn.init.kaiming_uniform_ with
 * leaky-relu gain: bound = sqrt(2 / (1 + a^2)) * sqrt(3 / fanIn). With torch's layer
 * default a = sqrt(5) this is 1 / sqrt(fanIn).
 */
export function kaimingUniform(
  shape: number[],
  fanIn: number,
  generator: Generator = defaultGenerator,
  a = Math.sqrt(5),
): tf.Tensor {
  const gain = Math.sqrt(2 / (1 + a * a));
  return uniform(shape, gain * Math.sqrt(3 / fanIn), generator);
}

/** torch's default bias initialisation for Linear and Conv2d: uniform in ±1/sqrt(fanIn). */
export function biasUniform(size: number, fanIn: number, generator: Generator = defaultGenerator): tf.Tensor {
  return uniform([size], fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, generator);
}
