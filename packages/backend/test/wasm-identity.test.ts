import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend } from '../src/index';

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

const buffers = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();

describe('Identity on wasm shares the buffer', () => {
  it('a clone has the same values and outlives its source', async () => {
    const x = tf.tensor2d([1, -2, 3, 4.5, 0, 6], [2, 3]);
    const before = buffers();
    const y = tf.clone(x);
    // Shared, not copied: no new heap buffer.
    expect(buffers()).toBe(before);
    expect(y.shape).toEqual([2, 3]);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, -2, 3, 4.5, 0, 6]);
    y.dispose();
    expect(buffers()).toBe(before - 1);
  });

  it('int32 and bool clones keep their dtype and values', async () => {
    const i = tf.tensor1d([3, -7, 9], 'int32');
    const b = tf.tensor1d([true, false, true], 'bool');
    const ci = tf.clone(i);
    const cb = tf.clone(b);
    expect([ci.dtype, cb.dtype]).toEqual(['int32', 'bool']);
    expect(Array.from(await ci.data())).toEqual([3, -7, 9]);
    expect(Array.from(await cb.data())).toEqual([1, 0, 1]);
    tf.dispose([i, b, ci, cb]);
  });

  it('assigning a variable does not change an earlier clone of it', async () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const snapshot = tf.clone(v);
    v.assign(tf.tensor1d([7, 8, 9]));
    expect(Array.from(await snapshot.data())).toEqual([1, 2, 3]);
    expect(Array.from(await v.data())).toEqual([7, 8, 9]);
    tf.dispose([v, snapshot]);
  });

  it('keeps tf.memory() and the wasm buffers flat over gradient steps', () => {
    const x = tf.tensor2d([0.5, -1, 2, 0.25], [2, 2]);
    const w = tf.variable(tf.tensor2d([0.1, 0.2, 0.3, 0.4], [2, 2]));
    const step = () =>
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.matMul(x, w))) as tf.Scalar);
        w.assign(tf.sub(w, tf.mul(grads[w.name] as tf.Tensor, 0.1)));
      });
    step();
    const before = [tf.memory().numTensors, buffers()];
    for (let i = 0; i < 5; i++) step();
    expect([tf.memory().numTensors, buffers()]).toEqual(before);
    tf.dispose([x, w]);
  });
});

describe('Cast on wasm', () => {
  it('to the same dtype shares the buffer; to another dtype converts', async () => {
    const x = tf.tensor1d([1.5, -2, 0]);
    const before = buffers();
    const same = tf.cast(x, 'float32');
    expect(buffers()).toBe(before);
    x.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2, 0]);
    const ints = tf.cast(same, 'int32');
    const flags = tf.cast(same, 'bool');
    expect(buffers()).toBe(before + 2);
    expect([ints.dtype, flags.dtype]).toEqual(['int32', 'bool']);
    expect(Array.from(await ints.data())).toEqual([1, -2, 0]);
    expect(Array.from(await flags.data())).toEqual([1, 1, 0]);
    tf.dispose([same, ints, flags]);
    expect(buffers()).toBe(before - 1);
  });
});
