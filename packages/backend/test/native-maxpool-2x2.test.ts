// The native 2x2 / stride 2 / unpadded max pooling fast path against the cpu backend and against the
// native generic path, bit for bit: random values, ties (first max in row-major order wins, -0 before
// +0 included) and NaN (never wins; an all-NaN window gives -inf and no gradient).
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { available, fallbacksDuring, type Input, input, runOn, skipReason } from './native-helpers';

type Pad = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

/** Forward output and the gradient of sum(maxPool(x) * up), both as plain number arrays. */
const poolAndGrad = (pad: Pad) => (x: tf.Tensor, up: tf.Tensor) => {
  const pool = (a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, pad as 'valid');
  return [pool(x), tf.grad((a: tf.Tensor) => tf.sum(tf.mul(pool(a), up)))(x)];
};

/** dy of the right shape for a 2x2 stride-2 pool of `x` with `pad`. */
function upFor(x: Input, pad: Pad, seed: number): Input {
  tf.setBackend('cpu');
  const shape = tf.tidy(
    () => tf.maxPool(tf.zeros(x.shape as [number, number, number, number]) as tf.Tensor4D, 2, 2, pad as 'valid').shape,
  );
  return input(shape, seed);
}

/** Runs on cpu and native (asserting native handed nothing to cpu) and expects identical values. */
function expectExactlyCpu(x: Input, pad: Pad, seed = 7) {
  const up = upFor(x, pad, seed);
  const cpu = runOn('cpu', [x, up], poolAndGrad(pad));
  let native: ReturnType<typeof runOn> = [];
  expect(fallbacksDuring(() => (native = runOn('native', [x, up], poolAndGrad(pad))))).toEqual({});
  for (const i of [0, 1]) {
    expect(native[i]!.shape).toEqual(cpu[i]!.shape);
    expect(Array.from(native[i]!.values)).toEqual(Array.from(cpu[i]!.values));
  }
  return native;
}

/** Random values rounded to `levels` steps so that most windows hold ties. */
function tied(shape: number[], seed: number, levels: number): Input {
  const x = input(shape, seed);
  return { shape, values: x.values.map((v) => Math.round(v * levels) / levels) };
}

describe.skipIf(!available)(`native maxPool 2x2 fast path${skipReason}`, () => {
  it.each([
    { title: 'even sides, batch of 3, 10 channels', shape: [3, 8, 8, 10] },
    { title: 'odd sides (last row and column in no window)', shape: [2, 7, 9, 5] },
    { title: 'one image (threads split the channels)', shape: [1, 6, 6, 3] },
    { title: 'tutorial 002 conv1 size', shape: [4, 24, 24, 10] },
    { title: 'one channel', shape: [2, 5, 4, 1] },
  ])('$title: forward and dx equal cpu exactly', ({ shape }) => {
    expectExactlyCpu(input(shape, 11), 'valid');
  });

  it('ties: the first max in row-major order gets the gradient', () => {
    const x = tied([2, 6, 8, 7], 3, 2);
    // Every window of image 0 channel 0 equal; a -0 before a +0 in the first window of channel 1.
    for (let i = 0; i < 6 * 8; i++) x.values[i * 7] = 0.5;
    x.values[1] = -0;
    x.values[7 + 1] = 0;
    x.values[8 * 7 + 1] = 0;
    x.values[9 * 7 + 1] = 0;
    const [y, dx] = expectExactlyCpu(x, 'valid');
    expect(Object.is(y!.values[1], -0)).toBe(true);
    // Channel 0 of image 0: the gradient sits on the top-left pixel of each window only.
    const up = upFor(x, 'valid', 7).values;
    expect(dx!.values[0]).toBe(up[0]);
    expect([dx!.values[7], dx!.values[8 * 7], dx!.values[9 * 7]]).toEqual([0, 0, 0]);
  });

  it('NaN never wins, an all-NaN window gives -inf and no gradient, -inf windows likewise', () => {
    const x = input([2, 4, 6, 3], 5);
    const at = (b: number, r: number, c: number, ch: number) => ((b * 4 + r) * 6 + c) * 3 + ch;
    x.values[at(0, 0, 0, 0)] = Number.NaN; // first in its window, a later value wins
    x.values[at(0, 1, 1, 1)] = Number.NaN; // last in its window
    for (const [r, c] of [
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
    ] as const) {
      x.values[at(1, r, c, 2)] = Number.NaN;
      x.values[at(1, r + 2, c, 0)] = Number.NEGATIVE_INFINITY;
    }
    const [y, dx] = expectExactlyCpu(x, 'valid');
    const out = (b: number, r: number, c: number, ch: number) => ((b * 2 + r) * 3 + c) * 3 + ch;
    expect(y!.values[out(1, 0, 1, 2)]).toBe(Number.NEGATIVE_INFINITY);
    expect(y!.values[out(1, 1, 1, 0)]).toBe(Number.NEGATIVE_INFINITY);
    expect(Number.isNaN(y!.values[out(0, 0, 0, 0)]!)).toBe(false);
    expect(dx!.values[at(1, 0, 2, 2)]).toBe(0);
    expect(dx!.values[at(1, 2, 2, 0)]).toBe(0);
  });

  it('equals the generic path (bottom/right padding adds windows) on the same values', () => {
    const x = tied([3, 6, 6, 4], 9, 3);
    x.values[5] = Number.NaN;
    const up = upFor(x, 'valid', 4);
    // With 2 rows and columns of padding below and right there are 4x4 windows: the generic path.
    const pad: Pad = [
      [0, 0],
      [0, 2],
      [0, 2],
      [0, 0],
    ];
    const upPadded: Input = { shape: [3, 4, 4, 4], values: new Float32Array(3 * 4 * 4 * 4) };
    for (let i = 0; i < 3 * 3 * 3; i++) {
      const [b, r, c] = [Math.floor(i / 9), Math.floor(i / 3) % 3, i % 3];
      upPadded.values.set(up.values.subarray(i * 4, i * 4 + 4), ((b * 4 + r) * 4 + c) * 4);
    }
    const fast = runOn('native', [x, up], poolAndGrad('valid'));
    const generic = runOn('native', [x, upPadded], (a, u) => {
      const [y, dx] = poolAndGrad(pad)(a!, u!);
      return [tf.slice(y!, [0, 0, 0, 0], [3, 3, 3, 4]), dx!];
    });
    expect(Array.from(generic[0]!.values)).toEqual(Array.from(fast[0]!.values));
    expect(Array.from(generic[1]!.values)).toEqual(Array.from(fast[1]!.values));
  });

  it('leaves tf.memory() flat', () => {
    tf.setBackend('native');
    const x = tf.randomNormal([2, 8, 8, 3]);
    const up = tf.ones([2, 4, 4, 3]);
    const before = tf.memory().numTensors;
    for (const t of poolAndGrad('valid')(x, up)) t.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, up]);
  });
});
