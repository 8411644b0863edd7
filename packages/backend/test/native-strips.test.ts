// Short-row fast paths: binary ops where one operand is a repeated row of fewer than 64 elements
// (bias adds) and sums over all but a short last axis (bias gradients) run in strips of whole rows.
// Checked against cpu and, bit for bit, against the general path on the same values.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { available, binaryOps, expectSameAsCpu, input, runOn, skipReason } from './native-helpers';

// Rows of 1, 10 and 63 elements; row counts that leave a partial strip at the end.
const shapes: [number, number][] = [
  [1001, 10],
  [77, 3],
  [9, 63],
  [2, 10],
];

describe.skipIf(!available)(`native short-row strips${skipReason}`, () => {
  it.each(shapes)('[%i, %i] op [row] and [row] op [rows, row] match cpu', (rows, inner) => {
    const full = input([rows, inner], 1);
    const row = input([inner], 2);
    expectSameAsCpu([full, row], binaryOps);
    expectSameAsCpu([row, full], binaryOps);
  });

  it.each(shapes)('[%i, %i]: bit for bit the general path (the row tiled to a full tensor)', (rows, inner) => {
    const full = input([rows, inner], 3);
    const row = input([inner], 4);
    const strips = runOn('native', [full, row], (a, b) => [...binaryOps(a!, b!), ...binaryOps(b!, a!)]);
    const general = runOn('native', [full, row], (a, b) => {
      const tiled = tf.tile(tf.reshape(b!, [1, inner]), [rows, 1]);
      return [...binaryOps(a!, tiled), ...binaryOps(tiled, a!)];
    });
    for (const [i, s] of strips.entries()) expect(Array.from(s.values)).toEqual(Array.from(general[i]!.values));
  });

  it('int32 bias-style add and a 4-D NHWC bias add', () => {
    const ints = (shape: number[], seed: number) => ({
      shape,
      values: input(shape, seed).values.map((v) => Math.round(v * 1000)),
    });
    expectSameAsCpu([ints([300, 7], 5), ints([7], 6)], (a, b) => tf.add(tf.cast(a!, 'int32'), tf.cast(b!, 'int32')));
    expectSameAsCpu([input([4, 9, 9, 10], 7), input([10], 8)], (a, b) => tf.add(a!, b!));
  });

  it.each(shapes)('sum over the rows of [%i, %i] (and of a 4-D NHWC tensor) matches cpu', (rows, inner) => {
    expectSameAsCpu([input([rows, inner], 9)], (a) => tf.sum(a!, 0), 1e-6);
    expectSameAsCpu([input([rows, inner], 10)], (a) => tf.mean(a!, 0), 1e-6);
    expectSameAsCpu([input([3, rows, 2, inner], 11)], (a) => tf.sum(a!, [0, 1, 2]), 1e-6);
  });

  it('a strip sum keeps double accumulation: 1e6 rows of 0.1 in 10 columns sum to 1e5 each', () => {
    tf.setBackend('native');
    const sums = tf.tidy(() => tf.sum(tf.fill([1e6, 10], 0.1), 0).dataSync());
    expect(Array.from(sums)).toEqual(new Array(10).fill(Math.fround(1e5)));
  });
});
