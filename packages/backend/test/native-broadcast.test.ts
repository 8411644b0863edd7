// General broadcasting of the native binary kernels against cpu, and the op names shared with C++.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { nativeAddon } from '../src/native/addon';
import { BINARY_OPS, UNARY_OPS } from '../src/native/kernels/elementwise-ops';
import { available, binaryOps, expectSameAsCpu, input, skipReason } from './native-helpers';

describe.skipIf(!available)(`native broadcasting matches cpu${skipReason}`, () => {
  const [n, h, w, c] = [3, 5, 6, 7];
  const pairs: [number[], number[]][] = [
    [[n, h, w, c], [c]],
    [
      [n, h, w, c],
      [1, 1, 1, c],
    ],
    [
      [n, h, w, c],
      [n, 1, 1, c],
    ],
    [
      [n, h, w, c],
      [n, h, w, 1],
    ],
    [[n, h, w, c], []],
    [[n, h, w, c], [1]],
    [
      [n, h, w, 1],
      [1, 1, 1, c],
    ], // both sides broadcast
    [
      [n, 1, w, 1],
      [1, h, 1, c],
    ],
    [
      [h, 1],
      [1, w],
    ], // outer product
    [
      [2, 1, 3, 1, 4, 1],
      [1, 5, 1, 2, 1, 3],
    ], // six dimensions, alternating
    [
      [12, 97, 40],
      [12, 1, 40],
    ], // several rows per chunk
    [[1, 1], [1]],
  ];
  pairs.forEach(([sa, sb], i) => {
    it(`[${sa}] with [${sb}], and swapped`, () => {
      expectSameAsCpu([input(sa, i), input(sb, 100 + i)], (a, b) => [...binaryOps(a!, b!), ...binaryOps(b!, a!)], 1e-5);
    }, 60_000); // the cpu reference is slow on a busy machine
  });

  it('over 2^20 elements (two threads, chunks that start mid-row), against a plain loop', () => {
    // cpu's broadcasting kernel takes a minute at this size on a busy machine: compare with a loop.
    const [rows, cols] = [1101, 999];
    const a = input([rows, cols], 7);
    const b = input([rows, 1], 8);
    tf.setBackend('native');
    const [sum, product] = tf.tidy(() => {
      const [ta, tb] = [tf.tensor(a.values, a.shape), tf.tensor(b.values, b.shape)];
      return [tf.add(ta, tb).dataSync(), tf.mul(tb, ta).dataSync()];
    });
    let wrong = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const i = r * cols + c;
        if (sum![i] !== Math.fround(a.values[i]! + b.values[r]!)) wrong++;
        if (product![i] !== Math.fround(a.values[i]! * b.values[r]!)) wrong++;
      }
    }
    expect(wrong).toBe(0);
  }, 120_000);

  it('maximum and minimum propagate NaN as cpu does', () => {
    const a = input([4, 3], 1);
    a.values[0] = Number.NaN;
    const b = input([3], 2);
    b.values[1] = Number.NaN;
    expectSameAsCpu([a, b], (x, y) => [tf.maximum(x!, y!), tf.minimum(x!, y!), tf.maximum(y!, x!)], 0);
  });

  it('shapes that do not broadcast throw tfjs error (cpu decides)', () => {
    tf.setBackend('native');
    expect(() => tf.add(tf.zeros([2, 3]), tf.zeros([4]))).toThrow(/broadcast/i);
  });

  it('the addon rejects bad shapes with named errors', () => {
    const addon = nativeAddon();
    const f = (k: number) => new Float32Array(k);
    expect(() => addon.binary('add', f(6), [2, 3], f(4), [4], f(6))).toThrow('binary: shapes do not broadcast');
    expect(() => addon.binary('add', f(6), [2, 3], f(3), [3], f(5))).toThrow('binary: out must have 6 elements');
    expect(() => addon.binary('add', f(1), [1, 1, 1, 1, 1, 1, 1], f(1), [1], f(1))).toThrow(
      'binary: more than 6 dimensions',
    );
    expect(() => addon.binary('add', f(2), [-2], f(1), [1], f(2))).toThrow('binary: negative dimension');
    expect(() => addon.binary('pow' as 'add', f(1), [1], f(1), [1], f(1))).toThrow("binary: unknown op 'pow'");
    const i = (k: number) => new Int32Array(k);
    expect(() => addon.binary('add', new Float64Array(1) as unknown as Float32Array, [1], f(1), [1], f(1))).toThrow(
      new TypeError('binary: argument 1 must be a Float32Array or an Int32Array'),
    );
    expect(() => addon.binary('add', i(1) as unknown as Float32Array, [1], f(1), [1], f(1))).toThrow(
      'binary: a, b and out must have the same element type',
    );
    expect(() => addon.binary('div', i(1), [1], i(1), [1], i(1))).toThrow('binary: div of int32 is not supported');
    expect(() => addon.binary(0 as unknown as 'add', f(1), [1], f(1), [1], f(1))).toThrow(
      'binary: the op must be a string',
    );
  });
});

describe.skipIf(!available)(`element-wise op names${skipReason}`, () => {
  it('TypeScript and C++ list the same ops, in the same order', () => {
    expect(nativeAddon().binaryOps).toEqual([...BINARY_OPS]);
    expect(nativeAddon().unaryOps).toEqual([...UNARY_OPS]);
  });

  it('every listed op runs', () => {
    const addon = nativeAddon();
    const out = new Float32Array(1);
    for (const op of BINARY_OPS) {
      addon.binary(op, Float32Array.of(3), [1], Float32Array.of(2), [], out);
      expect(Number.isFinite(out[0]), op).toBe(true);
    }
    for (const op of UNARY_OPS) {
      addon.unary(op, Float32Array.of(4), out, 0);
      expect(Number.isFinite(out[0]), op).toBe(true);
    }
  });
});
