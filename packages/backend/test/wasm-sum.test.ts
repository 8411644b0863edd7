import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend } from '../src/index';
import { expectClose, mulberry32, randomFloats } from '@cnn/testing';
import { onBoth } from './wasm-helpers';

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

describe('Sum over all axes but the innermost, for big inputs', () => {
  it('sums a known case of 2^20 elements, with and without keepDims', async () => {
    await useBackend('wasm');
    // Index h of axis 1 holds h % 4 everywhere: each channel sums 64 * 4 * 32 * (0 + 1 + 2 + 3) = 49152, exactly.
    const x = tf.tidy(() => tf.tile(tf.reshape(tf.tensor1d([0, 1, 2, 3]), [1, 4, 1, 1]), [64, 32, 4, 128]));
    expect(x.shape).toEqual([64, 128, 4, 128]);
    const s = tf.sum(x, [0, 1, 2]);
    const k = tf.sum(x, [2, 0, 1], true);
    expect(s.shape).toEqual([128]);
    expect(k.shape).toEqual([1, 1, 1, 128]);
    expect(Array.from(await s.data())).toEqual(new Array(128).fill(49152));
    expect(Array.from(await k.data())).toEqual(new Array(128).fill(49152));
    tf.dispose([x, s, k]);
  });

  it('matches the stock kernel exactly and cpu closely on a bias-gradient shape', async () => {
    const shape = [50, 28, 28, 32];
    const data = randomFloats(tf.util.sizeFromShape(shape), mulberry32(3));
    const { cpu, wasm } = await onBoth([{ data, shape }], (x) => [
      tf.sum(x as tf.Tensor, [0, 1, 2]),
      // The stock path: the reduced axes made innermost, then summed (what the stock kernel does).
      tf.sum(tf.reshape(tf.transpose(x as tf.Tensor, [3, 0, 1, 2]), [32, 50 * 28 * 28]), 1),
    ]);
    expect(Array.from(wasm[0] as Float32Array)).toEqual(Array.from(wasm[1] as Float32Array));
    expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-4, atol: 1e-3, what: 'sum' });
  });

  it('leaves other reductions, small inputs and int32 to the stock kernel, with the results of cpu', async () => {
    const shape = [16, 256, 256];
    const data = randomFloats(tf.util.sizeFromShape(shape), mulberry32(9));
    const { cpu, wasm } = await onBoth([{ data, shape }], (x) => [
      tf.sum(x as tf.Tensor, 2),
      tf.sum(x as tf.Tensor, [0, 2]),
      tf.sum(tf.slice(x as tf.Tensor, [0, 0, 0], [2, 8, 256]), [0, 1]),
      tf.sum(tf.cast(tf.mul(x as tf.Tensor, 10), 'int32'), [0, 1]),
    ]);
    for (const [i, out] of wasm.entries()) {
      expectClose(out, cpu[i] as Float32Array, { rtol: 1e-4, atol: 1e-3, what: `sum ${i}` });
    }
  });

  it('keeps tf.memory() and the wasm buffers flat', async () => {
    await useBackend('wasm');
    const x = tf.ones([16, 64, 64, 16]);
    const count = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const before = [tf.memory().numTensors, count()];
    for (let i = 0; i < 3; i++) tf.dispose(tf.sum(x, [0, 1, 2]));
    expect([tf.memory().numTensors, count()]).toEqual(before);
    tf.dispose(x);
  });
});
