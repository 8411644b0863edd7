import { describeEachBackend, expectClose, maxPool2dCases, tensorOf } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { AvgPool2d, F, MaxPool2d, ShapeError } from '../src/index';

const cases = maxPool2dCases();

describeEachBackend('MaxPool2d matches PyTorch', () => {
  it.each(cases)('$title: forward and dx (module and functional)', ({ data: c }) => {
    const pool = new MaxPool2d(c.pool, c.stride);
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tensorOf(c.x);
      const up = tensorOf(c.upstream);
      expectClose(pool.apply(x), c.y, { what: 'y' });
      expectClose(F.maxPool2d(x, c.pool, c.stride), c.y, { what: 'functional y' });
      expectClose(tf.grad((input: tf.Tensor) => tf.sum(tf.mul(pool.apply(input), up)))(x), c.dx, { what: 'dx' });
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('floors odd sizes like torch and averages with AvgPool2d', () => {
    tf.tidy(() => {
      const x = tf.reshape(tf.range(0, 25, 1, 'float32'), [1, 5, 5, 1]);
      const max = new MaxPool2d(2).apply(x);
      expect(max.shape).toEqual([1, 2, 2, 1]);
      expect(Array.from(max.dataSync())).toEqual([6, 8, 16, 18]);
      const avg = new AvgPool2d(2).apply(x);
      expect(Array.from(avg.dataSync())).toEqual([3, 5, 13, 15]);
      expect(new AvgPool2d(3, 1).apply(x).shape).toEqual([1, 3, 3, 1]);
    });
  });
});

it('rejects inputs it cannot pool, naming the layer', () => {
  const pool = new MaxPool2d(2);
  expect(() => pool.apply(tf.zeros([4, 10]))).toThrow(ShapeError);
  expect(() => pool.apply(tf.zeros([4, 10]))).toThrow(
    'MaxPool2d expects a 4-D NHWC input [N, H, W, C] but got 2-D [N, 10]',
  );
  expect(() => pool.apply(tf.zeros([1, 1, 1, 8]))).toThrow(
    'MaxPool2d with kernel 2x2 needs an input at least that large, but the input [N, 1, 1, 8] is 1x1 (H x W)',
  );
  expect(() => new MaxPool2d(0)).toThrow('MaxPool2d kernelSize must be a positive integer or a pair of them, got 0');
  expect(pool.describe()).toBe('MaxPool2d(kernel_size=(2, 2), stride=(2, 2))');
});
