import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend } from '../src/index';
import { expectClose, mulberry32, randomFloats } from '@cnn/testing';
import { onBoth } from './wasm-helpers';

type Shape4 = [number, number, number, number];

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

/** dx of sum(maxPool(x) * up) on cpu and on wasm. */
async function poolGrads(
  x: Float32Array,
  shape: number[],
  size: number,
  stride: number,
  pad: 'same' | 'valid' | number,
) {
  const y = tf.tidy(() => tf.maxPool(tf.zeros(shape as Shape4) as tf.Tensor4D, size, stride, pad).shape);
  const up = randomFloats(tf.util.sizeFromShape(y), mulberry32(shape.length + x.length));
  return onBoth(
    [
      { data: x, shape },
      { data: up, shape: y },
    ],
    (a, u) =>
      tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), u as tf.Tensor)))(
        a as tf.Tensor,
      ),
  );
}

describe('MaxPoolGrad 2x2 stride 2 fast path', () => {
  it('routes each dy value to its window maximum in a known case', async () => {
    await useBackend('wasm');
    const x = tf.tensor4d([1, 5, 2, 0, 3, 4, 9, 9, 7, 8, 6, 7, 0, 0, 1, 2], [1, 4, 4, 1]);
    const dy = tf.tensor4d([10, 20, 30, 40], [1, 2, 2, 1]);
    const y = tf.maxPool(x, 2, 2, 'valid');
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input: x, output: y }, {
      filterSize: 2,
      strides: 2,
      pad: 'valid',
    } as never) as tf.Tensor;
    // Windows: [1 5 3 4] -> 5; [2 0 9 9] -> the first 9 (a tie); [7 8 0 0] -> 8; [6 7 1 2] -> 7.
    expect(Array.from(await dx.data())).toEqual([0, 10, 0, 0, 0, 0, 20, 0, 0, 30, 0, 40, 0, 0, 0, 0]);
    tf.dispose([x, dy, y, dx]);
  });

  const shapes: number[][] = [
    [2, 8, 8, 3],
    [3, 7, 9, 5],
    [1, 28, 28, 32],
  ];
  for (const shape of shapes) {
    for (const pad of ['valid', 'same'] as const) {
      it(`matches cpu for x ${shape} pad ${pad}, with ties (relu zeros) and NaNs`, async () => {
        const next = mulberry32(shape.reduce((s, v) => s * 7 + v, 1));
        const data = randomFloats(tf.util.sizeFromShape(shape), next).map((v, i) => {
          if (i % 11 === 3) return Number.NaN;
          if (i % 13 === 5) return Number.NEGATIVE_INFINITY;
          return Math.max(0, Math.round(v * 3));
        });
        // A window of only NaN/-Infinity (no maximum at all) passes no gradient.
        data.fill(Number.NaN, 0, 2 * (shape[3] as number));
        const { cpu, wasm } = await poolGrads(data, shape, 2, 2, pad);
        expect(Array.from(wasm[0] as Float32Array)).toEqual(Array.from(cpu[0] as Float32Array));
      });
    }
  }

  it('the general path (3x3 stride 2) still matches cpu with NaNs and ties', async () => {
    const shape = [2, 9, 9, 3];
    const next = mulberry32(77);
    const data = randomFloats(tf.util.sizeFromShape(shape), next).map((v, i) =>
      i % 7 === 2 ? Number.NaN : Math.max(0, Math.round(v * 2)),
    );
    const { cpu, wasm } = await poolGrads(data, shape, 3, 2, 'same');
    expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 0, atol: 1e-6, what: 'dx' });
  });
});
