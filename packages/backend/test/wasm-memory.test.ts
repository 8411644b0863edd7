import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { useBackend } from '../src/index';
import { mulberry32, randomFloats } from '@cnn/testing';

/** The wasm backend's count of live buffers (kernel intermediates included). */
function wasmBuffers(): number {
  return (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
}

beforeAll(async () => {
  await useBackend('wasm');
});

describe('wasm training memory', () => {
  it('tensors and wasm buffers stay flat over 100 SGD steps of a two-conv classifier', () => {
    const next = mulberry32(42);
    const v = (shape: number[], scale: number) =>
      tf.variable(tf.mul(tf.tensor(randomFloats(tf.util.sizeFromShape(shape), next), shape), scale));
    // Model 002 in miniature: conv 5x5 valid, pool, relu, conv 5x5 stride 2 same, pool, relu, dense.
    const params = {
      w1: v([5, 5, 1, 4], 0.3),
      b1: v([4], 0.1),
      w2: v([3, 3, 4, 6], 0.3),
      b2: v([6], 0.1),
      w3: v([24, 10], 0.3),
      b3: v([10], 0.1),
    };
    const x = tf.tensor(randomFloats(tf.util.sizeFromShape([8, 20, 20, 1]), next), [8, 20, 20, 1]) as tf.Tensor4D;
    const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const step = (): number =>
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => {
          const c1 = tf.relu(
            tf.maxPool(
              tf.add(tf.conv2d(x, params.w1 as tf.Tensor4D, 1, 'valid'), params.b1) as tf.Tensor4D,
              2,
              2,
              'valid',
            ),
          );
          const c2 = tf.relu(
            tf.maxPool(
              tf.add(tf.conv2d(c1, params.w2 as tf.Tensor4D, 2, 'same'), params.b2) as tf.Tensor4D,
              2,
              2,
              'valid',
            ),
          );
          const logits = tf.add(tf.matMul(tf.reshape(c2, [8, 24]), params.w3), params.b3);
          return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
        });
        for (const p of Object.values(params)) p.assign(tf.sub(p, tf.mul(grads[p.name] as tf.Tensor, 0.1)));
        return value.dataSync()[0] as number;
      });
    const first = step();
    const tensors = tf.memory().numTensors;
    const buffers = wasmBuffers();
    let last = first;
    for (let i = 0; i < 100; i++) last = step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(wasmBuffers()).toBe(buffers);
    // It trains: the loss on the fixed batch goes down.
    expect(last).toBeLessThan(first * 0.5);
    tf.dispose([x, labels, ...Object.values(params)]);
  });
});
