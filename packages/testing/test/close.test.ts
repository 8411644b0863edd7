import { useBackend } from '@cnn/backend';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  caught,
  expectClose,
  float32Bits,
  isClose,
  shapeOf,
  TestingArgumentError,
  ToleranceError,
  tensorOf,
} from '../src/index';

describe('isClose: |actual - expected| <= atol + rtol * |expected|', () => {
  it('uses both tolerances, relative to the expected value', () => {
    expect(isClose(100.009, 100, 1e-4, 0)).toBe(true); // 0.009 <= 1e-4 * 100
    expect(isClose(100.02, 100, 1e-4, 0)).toBe(false);
    expect(isClose(1e-6, 0, 0, 1e-5)).toBe(true);
    expect(isClose(0, 100, 0.5, 0)).toBe(false); // relative to expected, not actual: 100 > 50
    expect(isClose(100, 0, 0.5, 0)).toBe(false);
  });

  it('matches NaN only with NaN and equal infinities only with each other', () => {
    expect(isClose(Number.NaN, Number.NaN)).toBe(true);
    expect(isClose(Number.NaN, 1)).toBe(false);
    expect(isClose(1, Number.NaN, 1e9, 1e9)).toBe(false);
    expect(isClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)).toBe(true);
    expect(isClose(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 1e9, 1e9)).toBe(false);
    expect(isClose(1e308, Number.POSITIVE_INFINITY)).toBe(false);
  });
});

describe('expectClose', () => {
  beforeAll(async () => {
    await useBackend('cpu');
  });

  it('accepts tensors, nested, flat and typed arrays and numbers, and disposes nothing', () => {
    const t = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const before = tf.memory().numTensors;
    expectClose(t, [
      [1, 2],
      [3, 4.00001],
    ]);
    expectClose(new Float32Array([0.5, 1]), [0.5, 1]);
    expect(tf.memory().numTensors).toBe(before);
    const s = tf.scalar(3);
    expectClose(s, 3.0001, { rtol: 1e-4 });
    expect(() => expectClose(s, 3.001, { rtol: 1e-4 })).toThrow(ToleranceError);
    tf.dispose([t, s]);
  });

  it('names the worst element, its multi-index, the count of failures and the label', () => {
    const e = caught(ToleranceError, () =>
      expectClose(
        [
          [1, 2.1],
          [3.5, 4],
        ],
        [
          [1, 2],
          [3, 4],
        ],
        { what: 'dx' },
      ),
    );
    expect(e.message).toBe(
      'dx: 2 of 4 elements out of tolerance (rtol 0.0001, atol 0.00001); worst at [1,0] (flat 2): 3.5 but expected 3',
    );
    expect([e.index, e.actual, e.expected, e.failures]).toEqual([2, 3.5, 3, 2]);
  });

  it('ranks a NaN where a number was expected as the worst element', () => {
    const e = caught(ToleranceError, () => expectClose([5, Number.NaN, 1], [0, 1, 1]));
    expect(e.index).toBe(1);
    expect(() => expectClose([Number.NaN], [Number.NaN])).not.toThrow();
  });

  it('checks shapes, not just lengths', () => {
    const e = caught(ToleranceError, () => expectClose(tf.zeros([2, 3]), tensorOf([0, 0, 0, 0, 0, 0])));
    expect(e.message).toBe('value: shape [2,3] differs from the expected [6]');
    expect(() => expectClose([1, 2], [1, 2, 3])).toThrow(/shape \[2\] differs from the expected \[3\]/);
  });

  it('rejects bad tolerances and ragged arrays with TestingArgumentError', () => {
    expect(() => expectClose([1], [1], { rtol: -1 })).toThrow(TestingArgumentError);
    expect(() => expectClose([1], [1], { atol: Number.NaN })).toThrow(/atol must be a finite number >= 0, got NaN/);
    expect(() => shapeOf([[1, 2], [3]])).toThrow('ragged array: [1] should have length 2, found length 1');
    expect(() =>
      shapeOf([
        [1, 2],
        [3, 'x' as never],
      ]),
    ).toThrow('expected a number at [1, 1] but found "x"');
  });
});

describe('float32Bits', () => {
  it('gives the IEEE patterns, rounding to float32 first', () => {
    expect(Array.from(float32Bits([1, -0, 0, 0.1, Number.NEGATIVE_INFINITY]))).toEqual([
      0x3f800000, 0x80000000, 0, 0x3dcccccd, 0xff800000,
    ]);
    expect(float32Bits(new Float32Array([Number.NaN]))[0]).toBe(0x7fc00000);
  });
});
