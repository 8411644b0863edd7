// Element-wise and reduction kernels of the native backend against cpu.
import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { available, expectSameAsCpu, input, skipReason } from './native-helpers';

describe.skipIf(!available)(`native element-wise kernels match cpu${skipReason}`, () => {
  const BINARY_TO_CPU = { Add: 1, Sub: 1, Multiply: 1, RealDiv: 1, SquaredDifference: 1 };
  const pairs: [number[], number[], Record<string, number>?][] = [
    [[3, 5, 7], [3, 5, 7]], // same shape
    [[4, 14, 14, 32], [32]], // bias add
    [[2, 3, 4], [1, 1, 4]], // trailing vector with leading 1s
    [[7], []], // scalar
    [[], [6, 5]], // scalar on the left
    [[4], [3, 4]], // vector on the left
    [[3, 1], [3, 4], BINARY_TO_CPU], // column broadcast: cpu kernels
    [[1], [1]],
  ];
  pairs.forEach(([sa, sb, toCpu], i) => {
    it(`add, sub, mul, div, squaredDifference: [${sa}] with [${sb}]`, () => {
      expectSameAsCpu(
        [input(sa, i), input(sb, 10 + i)],
        (a, b) => [
          tf.add(a!, b!),
          tf.sub(a!, b!),
          tf.mul(a!, b!),
          tf.div(a!, tf.add(tf.abs(b!), 0.5)),
          tf.squaredDifference(a!, b!),
        ],
        1e-4,
        toCpu,
      );
    });
  });

  it('int32 inputs keep their dtype (cpu path)', () => {
    expectSameAsCpu([], () => [tf.add(tf.tensor([1, 2], [2], 'int32'), tf.tensor([3], [1], 'int32'))], 0, { Add: 1 });
  });

  it('float32 tensors cast from int32 and bool (which keep their integer storage) stay native', () => {
    expectSameAsCpu([], () => {
      const ints = tf.cast(tf.tensor([1, -2, 3, 40], [4], 'int32'), 'float32');
      const mask = tf.cast(tf.greater(tf.tensor([0.5, -1, 2, 0]), 0), 'float32');
      return [tf.mul(ints, mask), tf.add(mask, tf.tensor([0.25, 0.5, 0.75, 1])), tf.relu(ints), tf.sum(mask)];
    });
  });

  it('relu, step, neg, square, and relu gradient, including NaN and 0', () => {
    const x = input([1000], 3);
    x.values[0] = Number.NaN;
    x.values[1] = 0;
    x.values[2] = -0;
    expectSameAsCpu([x, input([4, 3, 70001 % 9, 5], 4)], (a, b) => [
      tf.relu(a!),
      tf.step(a!),
      tf.step(a!, 0.25),
      tf.neg(a!),
      tf.square(a!),
      tf.relu(b!),
      tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(b!),
    ]);
  });

  it('large arrays split across threads', () => {
    expectSameAsCpu([input([100003], 1), input([100003], 2)], (a, b) => [tf.mul(a!, b!), tf.relu(a!)]);
  });
});

describe.skipIf(!available)(`native sum matches cpu${skipReason}`, () => {
  const cases: [number[], number | number[], boolean, Record<string, number>?][] = [
    [[6, 28, 28, 32], [0, 1, 2], false], // bias gradient
    [[50, 10], 1, true], // row sums
    [[50, 10], 0, false],
    [[3, 4, 5], [1], false], // middle axis
    [[3, 4, 5], [0, 2], false, { Sum: 1 }], // non-contiguous axes: cpu kernel
    [[7, 9], [0, 1], false], // everything
    [[1], 0, false],
    [[2, 100000], 1, false], // few outputs, long rows: split across threads
  ];
  for (const [shape, axis, keepDims, toCpu] of cases) {
    it(`sum of [${shape}] over ${JSON.stringify(axis)} keepDims ${keepDims}`, () => {
      expectSameAsCpu([input(shape, shape.length)], (x) => tf.sum(x!, axis, keepDims), 1e-3, toCpu);
    });
  }
});
