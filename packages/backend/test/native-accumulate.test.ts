// Sum and Mean on native accumulate in double like the cpu backend, and impossible geometry is a
// typed error in this process too (the crash suite runs the dangerous cases in child processes).
import * as tf from '@tensorflow/tfjs-core';
import { caught } from '@cnn/testing';
import { describe, expect, it } from 'vitest';
import { NativeKernelError } from '../src/index';
import { available, runOn, skipReason } from './native-helpers';

describe.skipIf(!available)(`native reductions and errors${skipReason}`, () => {
  it('sums 1e7 x 0.1 to the same float32 as cpu (1e6), not 997297.75', () => {
    const input = { shape: [10_000_000], values: new Float32Array(10_000_000).fill(0.1) };
    const [cpu] = runOn('cpu', [input], (x) => tf.sum(x!));
    const [native] = runOn('native', [input], (x) => tf.sum(x!));
    expect(cpu!.values[0]).toBeCloseTo(1_000_000, 0);
    expect(native!.values[0]).toBe(cpu!.values[0]);
  });

  it('means and column sums of 1e7 elements match cpu', () => {
    const input = { shape: [2_500_000, 4], values: new Float32Array(10_000_000).fill(0.1) };
    for (const fn of [(x: tf.Tensor) => tf.mean(x, 0), (x: tf.Tensor) => tf.sum(x, 0), (x: tf.Tensor) => tf.mean(x)]) {
      const [cpu] = runOn('cpu', [input], (x) => fn(x!));
      const [native] = runOn('native', [input], (x) => fn(x!));
      expect(native!.shape).toEqual(cpu!.shape);
      for (let i = 0; i < cpu!.values.length; i++) {
        expect(Math.abs(native!.values[i]! - cpu!.values[i]!)).toBeLessThanOrEqual(Math.abs(cpu!.values[i]!) * 1e-7);
      }
    }
  });

  it('a kernel larger than its input throws NativeKernelError with the kernel and the shapes', () => {
    tf.setBackend('native');
    const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
    const f = tf.ones([5, 5, 1, 8]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const e = caught(NativeKernelError, () => tf.conv2d(x, f, 1, 'valid'));
    expect(e.kernel).toBe('Conv2D');
    expect(e.problem).toBe('geometry');
    expect(e.shapes).toEqual({ x: [1, 3, 3, 1], filter: [5, 5, 1, 8] });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, f]);
  });

  it('keeps computing right through more shapes than the primitive cache holds (LRU eviction)', () => {
    const shapes = Array.from({ length: 80 }, (_, i) => 2 + (i % 80));
    for (const n of [...shapes, ...shapes.slice(0, 5)]) {
      const input = { shape: [n, 3], values: Float32Array.from({ length: n * 3 }, (_, j) => (j % 7) - 3) };
      const weights = { shape: [3, 2], values: Float32Array.from([1, 2, 3, 4, 5, 6]) };
      const [cpu] = runOn('cpu', [input, weights], (a, b) => tf.matMul(a!, b!));
      const [native] = runOn('native', [input, weights], (a, b) => tf.matMul(a!, b!));
      expect(Array.from(native!.values)).toEqual(Array.from(cpu!.values));
    }
  });
});
