// Element-wise and reduction kernels of the native backend against cpu.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { available, expectSameAsCpu, input, skipReason } from './native-helpers';

describe.skipIf(!available)(`native element-wise kernels match cpu${skipReason}`, () => {
  const pairs: [number[], number[], Record<string, number>?][] = [
    [
      [3, 5, 7],
      [3, 5, 7],
    ], // same shape
    [[4, 14, 14, 32], [32]], // bias add
    [
      [2, 3, 4],
      [1, 1, 4],
    ], // trailing vector with leading 1s
    [[7], []], // scalar
    [[], [6, 5]], // scalar on the left
    [[4], [3, 4]], // vector on the left
    [
      [3, 1],
      [3, 4],
    ], // column broadcast (general broadcasting, test/native-broadcast.test.ts)
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

  it('int32 inputs keep their dtype and stay native (int32 loops that wrap around as cpu)', () => {
    expectSameAsCpu(
      [],
      () => {
        const a = tf.tensor([1, -2, 2147483647, 7], [4], 'int32');
        const b = tf.tensor([3], [1], 'int32');
        const out = [
          tf.add(a, b),
          tf.sub(b, a),
          tf.mul(a, b),
          tf.maximum(a, b),
          tf.minimum(a, b),
          tf.squaredDifference(a, b),
        ];
        for (const t of out) expect(t.dtype).toBe('int32');
        return out;
      },
      0,
    );
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

  it('sqrt, rsqrt, exp, log, including NaN, 0 and negatives', () => {
    const x = input([1000], 5);
    x.values[0] = Number.NaN;
    x.values[1] = 0;
    x.values[2] = -1;
    x.values[3] = Number.POSITIVE_INFINITY;
    expectSameAsCpu(
      [x, input([3, 7, 70001 % 11], 6)],
      (a, b) => [
        tf.sqrt(a!),
        tf.rsqrt(a!),
        tf.exp(a!),
        tf.log(a!),
        tf.sqrt(tf.abs(b!)),
        tf.rsqrt(tf.add(tf.abs(b!), 0.1)),
        tf.exp(tf.mul(b!, 20)),
        tf.log(tf.abs(b!)),
        tf.grad((t: tf.Tensor) => tf.sum(tf.sqrt(tf.add(tf.abs(t), 1))))(b!),
      ],
      1e-5,
    );
  });

  it('large arrays split across threads', () => {
    expectSameAsCpu([input([100003], 1), input([100003], 2)], (a, b) => [tf.mul(a!, b!), tf.relu(a!)]);
  });
});

describe.skipIf(!available)(`native sum and mean match cpu${skipReason}`, () => {
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
    it(`mean of [${shape}] over ${JSON.stringify(axis)} keepDims ${keepDims}`, () => {
      const toCpuMean: Record<string, number> = toCpu ? { Mean: 1 } : {};
      expectSameAsCpu([input(shape, 20 + shape.length)], (x) => tf.mean(x!, axis, keepDims), 1e-4, toCpuMean);
    });
  }

  it('batch-norm moments over [0, 1, 2] of NHWC and their gradients', () => {
    expectSameAsCpu([input([5, 9, 7, 20], 30)], (x) => {
      const { mean, variance } = tf.moments(x!, [0, 1, 2]);
      const g = tf.grad((t: tf.Tensor) => {
        const m = tf.moments(t, [0, 1, 2]);
        return tf.sum(tf.mul(tf.add(m.mean, m.variance), tf.range(1, 21)));
      })(x!);
      return [mean, variance, g];
    });
  });
});

describe.skipIf(!available)(`native tile and batch norm match cpu${skipReason}`, () => {
  const tiles: [number[], number[]][] = [
    [
      [1, 1, 1, 20],
      [6, 5, 7, 1],
    ], // per-channel vector over N, H, W (batch-norm gradient)
    [
      [2, 3],
      [3, 2],
    ],
    [[4], [5]],
    [
      [3, 1, 2],
      [1, 4, 1],
    ],
    [
      [1, 1, 1, 40],
      [100, 7, 7, 1],
    ], // big enough to split across threads
    [
      [2, 1, 3, 1, 2],
      [2, 3, 1, 2, 2],
    ],
  ];
  tiles.forEach(([shape, reps], i) => {
    it(`tile [${shape}] by [${reps}]`, () => {
      expectSameAsCpu([input(shape, 40 + i)], (x) => tf.tile(x!, reps), 0);
    });
  });

  it('tile of int32 stays on cpu', () => {
    expectSameAsCpu([], () => tf.tile(tf.tensor([1, 2], [2], 'int32'), [3]), 0, { Tile: 1 });
  });

  it('batchNorm with per-channel parameters, without scale or offset, and with scalar parameters', () => {
    const c = 12;
    expectSameAsCpu(
      [input([4, 5, 6, c], 50), input([c], 51), input([c], 52), input([c], 53), input([c], 54)],
      (x, m, v, off, sc) => {
        const variance = tf.add(tf.abs(v!), 0.1);
        return [
          tf.batchNorm(x!, m!, variance, off!, sc!, 1e-5),
          tf.batchNorm(x!, m!, variance, undefined, undefined, 1e-3),
          tf.batchNorm(x!, tf.scalar(0.5), tf.scalar(2), tf.scalar(-1), tf.scalar(3)),
          tf.batchNorm(tf.reshape(x!, [-1]), tf.scalar(0.5), tf.scalar(2)),
        ];
      },
      1e-5,
    );
  });

  it('batchNorm with parameters of different lengths goes to cpu', () => {
    expectSameAsCpu(
      [input([2, 6], 60), input([6], 61), input([3], 62)],
      (x, m, v) => tf.batchNorm(x!, m!, tf.add(tf.abs(v!), 1)),
      1e-5,
      { FusedBatchNorm: 1 },
    );
  });

  it('batch-norm training step (moments, batchNorm, gradients of x, scale, offset)', () => {
    const c = 10;
    expectSameAsCpu(
      [input([8, 6, 6, c], 70), input([c], 71), input([c], 72), input([8, 6, 6, c], 73)],
      (x, sc, off, w) => {
        const f = (t: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => {
          const { mean, variance } = tf.moments(t, [0, 1, 2]);
          return tf.sum(tf.mul(tf.batchNorm(t, mean, variance, o, s, 1e-5), w!));
        };
        return tf.grads(f)([x!, sc!, off!]);
      },
      1e-3,
    );
  });
});
