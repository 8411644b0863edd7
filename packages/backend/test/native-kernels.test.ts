// Every kernel the native backend replaces, checked against the cpu backend on varied shapes.
import * as tf from '@tensorflow/tfjs-core';
import { describe, it } from 'vitest';
import { available, expectSameAsCpu, input, skipReason } from './native-helpers';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type Shape4 = [number, number, number, number];
interface ConvCase {
  x: Shape4;
  f: Shape4;
  stride: number | [number, number];
  pad: Pad;
  dilation?: number;
}

const convCases: ConvCase[] = [
  { x: [1, 7, 7, 1], f: [3, 3, 1, 1], stride: 1, pad: 'same' },
  { x: [2, 9, 8, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { x: [3, 10, 11, 5], f: [5, 5, 5, 7], stride: 1, pad: 'valid' },
  { x: [2, 11, 9, 4], f: [4, 2, 4, 6], stride: 2, pad: 'valid' },
  { x: [2, 8, 8, 6], f: [5, 5, 6, 3], stride: 1, pad: 2 },
  {
    x: [1, 12, 10, 2],
    f: [3, 3, 2, 16],
    stride: [2, 1],
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [4, 6, 6, 32], f: [1, 1, 32, 8], stride: 1, pad: 'same' },
  { x: [2, 28, 28, 1], f: [5, 5, 1, 32], stride: 1, pad: 'same' },
];

describe.skipIf(!available)(`native conv2d matches cpu${skipReason}`, () => {
  convCases.forEach((c, i) => {
    const label = `x ${c.x} filter ${c.f} stride ${c.stride} pad ${JSON.stringify(c.pad)}`;
    it(`forward, input and filter gradients: ${label}`, () => {
      const out = [c.x[0]!, 1, 1, c.f[3]!]; // upstream shape found by a first forward run
      const y = tf.tidy(
        () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(c.f) as tf.Tensor4D, c.stride, c.pad as 'same').shape,
      );
      out[1] = y[1];
      out[2] = y[2];
      expectSameAsCpu([input(c.x, i), input(c.f, 100 + i), input(out, 200 + i)], (x, f, up) => {
        const loss = (a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad as 'same'), up!));
        const [dx, df] = tf.grads(loss)([x!, f!]);
        return [tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad as 'same'), dx!, df!];
      });
    });
  });

  it('dilated forward (dilation 2, same)', () => {
    expectSameAsCpu([input([2, 9, 9, 3], 1), input([3, 3, 3, 5], 2)], (x, f) =>
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same', 'NHWC', 2),
    );
  });

  it('fused conv2d with bias and relu, and with linear activation', () => {
    expectSameAsCpu(
      [input([2, 9, 9, 3], 3), input([3, 3, 3, 5], 4), input([5], 5)],
      (x, f, b) => [
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: f as tf.Tensor4D,
          strides: 1,
          pad: 'same',
          bias: b,
          activation: 'relu',
        }),
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: 'valid', bias: b }),
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: 'same', activation: 'elu' }),
      ],
      1e-4,
      { FusedConv2D: 1 },
    ); // elu runs on cpu
  });
});

describe.skipIf(!available)(`native matmul matches cpu${skipReason}`, () => {
  const combos: [boolean, boolean][] = [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ];
  for (const [ta, tb] of combos) {
    it(`2-D and batched, transposeA=${ta} transposeB=${tb}`, () => {
      const [m, k, n] = [7, 13, 5];
      const a2 = ta ? [k, m] : [m, k];
      const b2 = tb ? [n, k] : [k, n];
      expectSameAsCpu(
        [input(a2, 1), input(b2, 2), input([3, ...a2], 3), input([3, ...b2], 4), input([1, ...a2], 5)],
        (a, b, ab, bb, a1) => [
          tf.matMul(a!, b!, ta, tb),
          tf.matMul(ab!, bb!, ta, tb),
          tf.matMul(a1!, bb!, ta, tb), // batch 1 broadcast against 3
          tf.matMul(ab!, b!, ta, tb), // rank 3 against rank 2
        ],
      );
    });
  }

  it('batch-1 rows, 1-column results and large K', () => {
    expectSameAsCpu([input([1, 3136], 1), input([3136, 1], 2), input([50, 3136], 3)], (a, b, c) => [
      tf.matMul(a!, b!),
      tf.matMul(c!, b!),
      tf.matMul(c!, a!, false, true),
    ]);
  });

  it('outer dims that need cpu broadcasting ([2,1] against [3])', () => {
    expectSameAsCpu([input([2, 1, 4, 5], 1), input([3, 5, 6], 2)], (a, b) => tf.matMul(a!, b!), 1e-4, {
      BatchMatMul: 1,
    });
  });

  it('fused matmul: bias + relu, bias only, unsupported activation', () => {
    expectSameAsCpu(
      [input([6, 9], 1), input([9, 4], 2), input([4], 3), input([4, 9], 4)],
      (a, b, bias, bt) => [
        tf.fused.matMul({ a: a!, b: b!, bias, activation: 'relu' }),
        tf.fused.matMul({ a: a!, b: bt!, transposeB: true, bias }),
        tf.fused.matMul({ a: a!, b: b!, bias, activation: 'sigmoid' }),
      ],
      1e-4,
      { _FusedMatMul: 1 },
    ); // sigmoid runs on cpu
  });

  it('gradients of a dense layer', () => {
    expectSameAsCpu([input([5, 8], 1), input([8, 3], 2), input([5, 3], 3)], (x, w, up) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), up!)))([x!, w!]),
    );
  });
});

describe.skipIf(!available)(`native max pooling matches cpu${skipReason}`, () => {
  const cases: { x: Shape4; size: number | [number, number]; stride: number; pad: 'same' | 'valid' | number }[] = [
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid' },
    { x: [1, 7, 7, 1], size: 2, stride: 2, pad: 'same' },
    { x: [3, 9, 7, 5], size: 3, stride: 2, pad: 'same' },
    { x: [1, 6, 9, 40], size: 3, stride: 1, pad: 'valid' },
    { x: [2, 5, 5, 4], size: [2, 3], stride: 1, pad: 1 },
    { x: [6, 28, 28, 32], size: 2, stride: 2, pad: 'valid' },
  ];
  cases.forEach((c, i) => {
    it(`forward and gradient: x ${c.x} size ${c.size} stride ${c.stride} pad ${c.pad}`, () => {
      const y = tf.tidy(() => tf.maxPool(tf.zeros(c.x) as tf.Tensor4D, c.size, c.stride, c.pad).shape);
      expectSameAsCpu([input(c.x, i), input(y, 50 + i)], (x, up) => [
        tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad),
        tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad), up!)))(x!),
      ]);
    });
  });

  it('ties go to the first maximum, as on cpu', () => {
    const x = { shape: [1, 4, 4, 2], values: new Float32Array(32).map((_, j) => (j % 3 === 0 ? 1 : 0)) };
    expectSameAsCpu([x], (a) => tf.grad((t: tf.Tensor) => tf.sum(tf.maxPool(t as tf.Tensor4D, 2, 1, 'same')))(a!));
  });
});
