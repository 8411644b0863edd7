import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend } from '../src/index';
import { expectClose, mulberry32, randomFloats } from '@cnn/testing';
import { onBoth } from './wasm-helpers';

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

describe('BatchMatMul with a big right-hand matrix seen for the first time', () => {
  // 300x250 floats in B: big enough that the first product is computed as (B^T A^T)^T.
  const a = [3, 300];
  const b = [300, 250];

  it('matches cpu on the first (swapped) and the second (stock, packed once) product', async () => {
    const next = mulberry32(21);
    const { cpu, wasm } = await onBoth(
      [
        { data: randomFloats(900, next), shape: a },
        { data: randomFloats(75000, next), shape: b },
      ],
      (x, w) => [tf.matMul(x as tf.Tensor, w as tf.Tensor), tf.matMul(x as tf.Tensor, w as tf.Tensor)],
    );
    expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-5, atol: 1e-5, what: 'first' });
    expectClose(wasm[1] as Float32Array, cpu[1] as Float32Array, { rtol: 1e-5, atol: 1e-5, what: 'second' });
  });

  it('gives the right shape and values for a batch-1 rank-3 product, in a known case', async () => {
    await useBackend('wasm');
    // A picks rows 0 and 2 of B (scaled by 2): the product is exactly those rows.
    const values = Float32Array.from({ length: 300 * 250 }, (_, i) => (i % 997) - 498);
    const w = tf.tensor2d(values, b as [number, number]);
    const x = tf.buffer([1, 2, 300]);
    x.set(2, 0, 0, 0);
    x.set(2, 0, 1, 2);
    const xs = x.toTensor();
    const y = tf.matMul(xs, w);
    expect(y.shape).toEqual([1, 2, 250]);
    const rows = [...values.subarray(0, 250), ...values.subarray(500, 750)].map((v) => 2 * v);
    expect(Array.from(await y.data())).toEqual(rows);
    tf.dispose([w, xs, y]);
  });

  it('keeps tf.memory() and the wasm buffers flat over fresh right-hand matrices', async () => {
    await useBackend('wasm');
    const count = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const x = tf.ones(a);
    const w = tf.ones(b);
    const step = () => tf.tidy(() => tf.sum(tf.matMul(x, tf.add(w, 0))).dataSync()[0]);
    expect(step()).toBe(3 * 250 * 300);
    const before = [tf.memory().numTensors, count()];
    for (let i = 0; i < 5; i++) step();
    expect([tf.memory().numTensors, count()]).toEqual(before);
    tf.dispose([x, w]);
  });
});
