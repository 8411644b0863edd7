import { ADAM_UPDATE, SGD_UPDATE } from '@cnn/kernels';
import { expectClose, float32Bits, mulberry32, randomFloats } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend } from '../src/index';
import { SIMD_KERNELS_ENV, simdKernels, simdKernelsState } from '../src/wasm/simd-kernels';
import type { HeapBackend } from '../src/wasm/heap';
import { runFusedKernel } from './fused-kernel-call';
import { onBoth } from './wasm-helpers';

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

afterEach(() => {
  delete process.env[SIMD_KERNELS_ENV];
});

/** The outputs of one computation with the SIMD kernels and with the JavaScript or stock paths. */
interface BothWays {
  simd: Float32Array[];
  js: Float32Array[];
}

/** Runs `fn` with the SIMD kernels and again with the JavaScript paths; returns both outputs. */
function bothWays(fn: () => tf.Tensor[]): BothWays {
  const run = () => {
    const outs = fn();
    const arrays = outs.map((t) => Float32Array.from(t.dataSync()));
    tf.dispose(outs);
    return arrays;
  };
  const simd = run();
  process.env[SIMD_KERNELS_ENV] = '0';
  const js = run();
  delete process.env[SIMD_KERNELS_ENV];
  return { simd, js };
}

/** Both ways gave the same outputs, bit for bit. */
function expectSameBits({ simd, js }: BothWays, message?: string): void {
  expect(simd.map(float32Bits), message).toEqual(js.map(float32Bits));
}

/** Values with ties, zeros of both signs, infinities and a NaN among random floats. */
function awkward(n: number, seed: number): Float32Array {
  const v = randomFloats(n, mulberry32(seed));
  const specials = [0, -0, 1, 1, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, Number.NaN];
  for (let i = 0; i < n; i += 5) v[i] = specials[(i / 5) % specials.length] as number;
  return v;
}

/** A fused update kernel's outputs as tensors (an output updated in place: a clone of its input). */
function update(kernel: string, inputs: Record<string, tf.Tensor>, attrs: object): tf.Tensor[] {
  return runFusedKernel(kernel, inputs, attrs).map((info, i) => {
    const input = Object.values(inputs)[i === 0 ? 0 : i + 1] as tf.Tensor;
    return info.dataId === input.dataId ? input.clone() : tf.engine().makeTensorFromTensorInfo(info);
  });
}

describe('wasm SIMD kernels', () => {
  it('are compiled from the committed sources in wasm/ and load on this backend', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    const check = spawnSync(process.execPath, [script, '--check-source'], { encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
    const backend = tf.backend() as unknown as HeapBackend;
    expect(simdKernels(backend)).toBeDefined();
    expect(simdKernelsState(backend)).toBe('on');
    process.env[SIMD_KERNELS_ENV] = '0';
    expect(simdKernels(backend)).toBeUndefined();
    expect(simdKernelsState(backend)).toBe('off (CNN_WASM_SIMD_KERNELS=0)');
  });

  it.each([1, 7, 4101])('Adam and AdamW over %i floats: the bits of the JavaScript loop', (n) => {
    for (const variant of [
      { initialize: true, weightDecay: 0, decoupled: false },
      { initialize: false, weightDecay: 0.01, decoupled: false },
      { initialize: false, weightDecay: 0.01, decoupled: true },
    ]) {
      const attrs = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, ...variant };
      const inputs = () => ({
        param: tf.tensor1d(randomFloats(n, mulberry32(1))),
        grad: tf.tensor1d(randomFloats(n, mulberry32(2))),
        expAvg: tf.tensor1d(randomFloats(n, mulberry32(3))),
        expAvgSq: tf.tensor1d(randomFloats(n, mulberry32(4)).map(Math.abs)),
      });
      const both = bothWays(() => {
        const given = inputs();
        const outs = update(ADAM_UPDATE, given, attrs);
        tf.dispose(Object.values(given));
        return outs;
      });
      expect(both.simd).toHaveLength(3);
      expectSameBits(both, JSON.stringify(variant));
    }
  });

  it.each([3, 4100])(
    'SGD with momentum, Nesterov and weight decay over %i floats: the bits of the JavaScript loop',
    (n) => {
      for (const variant of [
        { momentum: 0, nesterov: false, weightDecay: 0, initialize: false },
        { momentum: 0.9, nesterov: false, weightDecay: 0, initialize: true },
        { momentum: 0.9, nesterov: true, weightDecay: 1e-4, initialize: false },
      ]) {
        const attrs = { lr: 0.01, dampening: 0.1, ...variant };
        const both = bothWays(() => {
          const given: Record<string, tf.Tensor> = {
            param: tf.tensor1d(randomFloats(n, mulberry32(5))),
            grad: tf.tensor1d(randomFloats(n, mulberry32(6))),
          };
          if (variant.momentum !== 0) given.momentumBuffer = tf.tensor1d(randomFloats(n, mulberry32(7)));
          const outs = update(SGD_UPDATE, given, attrs);
          tf.dispose(Object.values(given));
          return outs;
        });
        expect(both.simd).toHaveLength(variant.momentum !== 0 ? 2 : 1);
        expectSameBits(both, JSON.stringify(variant));
      }
    },
  );

  it.each([
    [
      [4, 28, 28, 16],
      [0, 1, 2],
    ],
    [
      [3, 5, 7],
      [0, 1],
    ],
    [
      [2, 9, 6],
      [0, 1],
    ],
  ])('Sum of %j over %j: the bits of the row-order loop', (shape, axes) => {
    const data = randomFloats(tf.util.sizeFromShape(shape), mulberry32(8));
    const both = bothWays(() => {
      const x = tf.tensor(data, shape);
      // The JavaScript path takes only big inputs; below that the stock kernel sums in the same
      // order, after moving the reduced axes innermost.
      const out = tf.sum(x, axes);
      x.dispose();
      return [out];
    });
    expectSameBits(both);
    // A known value: the sum of column 0 in row order.
    const cols = shape[shape.length - 1] as number;
    let expected = Math.fround(0);
    for (let i = 0; i < data.length; i += cols) expected = Math.fround(expected + (data[i] as number));
    expect(both.simd[0]![0]).toBe(expected);
  });

  describe.each([
    ['Add', tf.add, (p: number, q: number) => p + q],
    ['Multiply', tf.mul, (p: number, q: number) => p * q],
  ] as const)('%s', (_name, op, scalar) => {
    it.each([
      [[4, 28, 28, 16], [16]],
      [[10], [4, 10]],
      [
        [3, 7],
        [3, 7],
      ],
      [
        [5, 6],
        [5, 1],
      ],
      [[5, 6], []],
    ])('of %j and %j: the bits of the stock kernel', (shapeA, shapeB) => {
      const a = randomFloats(tf.util.sizeFromShape(shapeA), mulberry32(12));
      const b = randomFloats(tf.util.sizeFromShape(shapeB), mulberry32(13));
      const both = bothWays(() => {
        const [ta, tb] = [tf.tensor(a, shapeA), tf.tensor(b, shapeB)];
        const out = op(ta, tb);
        tf.dispose([ta, tb]);
        return [out];
      });
      expectSameBits(both);
      const out = both.simd[0]!;
      expect(out.length).toBe(Math.max(a.length, b.length));
      // The last element combines the last of each input.
      expect(out[out.length - 1]).toBe(Math.fround(scalar(a[a.length - 1] as number, b[b.length - 1] as number)));
    });
  });

  it.each([
    [4, 1568, 10, false, false],
    [3, 7, 10, true, false],
    [5, 9, 21, false, true],
    [2, 0, 3, false, false],
  ])(
    'small product [%i x %i] x [%i x ...], transposeA %s, transposeB %s: close to cpu, exact on integers',
    async (m, k, n, tA, tB) => {
      const aShape = tA ? [k, m] : [m, k];
      const bShape = tB ? [n, k] : [k, n];
      const a = randomFloats(m * k, mulberry32(14));
      const b = randomFloats(k * n, mulberry32(15));
      const { cpu, wasm } = await onBoth(
        [
          { data: a, shape: aShape },
          { data: b, shape: bShape },
        ],
        (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, tA, tB),
      );
      expect(wasm[0]).toHaveLength(m * n);
      expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-5, atol: 1e-5, what: 'matMul' });
      // Small integers multiply and add exactly in any order: the same bits as cpu.
      const ints = (len: number, seed: number) => randomFloats(len, mulberry32(seed)).map((v) => Math.round(v * 8));
      const exact = await onBoth(
        [
          { data: ints(m * k, 16), shape: aShape },
          { data: ints(k * n, 17), shape: bShape },
        ],
        (x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D, tA, tB),
      );
      expect(Array.from(exact.wasm[0] as Float32Array)).toEqual(Array.from(exact.cpu[0] as Float32Array));
    },
  );

  it.each([[[2, 6, 6, 16]], [[3, 7, 9, 5]], [[1, 4, 4, 3]]])(
    'MaxPoolGrad 2x2 stride 2 on %j with ties, NaN and infinities: the bits of the JavaScript loop',
    (shape) => {
      const data = awkward(tf.util.sizeFromShape(shape), 9);
      const both = bothWays(() => {
        const x = tf.tensor4d(data, shape as [number, number, number, number]);
        const dx = tf.grad((t: tf.Tensor) => tf.mul(tf.maxPool(t as tf.Tensor4D, 2, 2, 'valid'), 3))(x);
        x.dispose();
        return [dx];
      });
      expectSameBits(both);
      // Every window passes 3 to at most one place: dx holds only 0s and 3s, at most one 3 per window.
      const dx = both.simd[0]!;
      expect(dx.every((v) => v === 0 || v === 3)).toBe(true);
      const windows = Math.floor((shape[1] as number) / 2) * Math.floor((shape[2] as number) / 2);
      expect(dx.filter((v) => v === 3).length).toBeLessThanOrEqual(
        (shape[0] as number) * windows * (shape[3] as number),
      );
    },
  );

  it.each([
    [[4, 28, 28, 1], 5, 1, 'same'],
    [[2, 11, 9, 1], 3, 2, 'same'],
    [[3, 10, 10, 1], 5, 1, 'valid'],
    // Over the direct kernel's limit: the SIMD taps, then the product.
    [[24, 28, 28, 1], 5, 1, 'same'],
  ] as const)(
    'one-channel filter gradient of %j, kernel %i, stride %i, %s padding: the bits of the JavaScript taps and product',
    (shape, k, stride, pad) => {
      const x = randomFloats(tf.util.sizeFromShape([...shape]), mulberry32(10));
      const both = bothWays(() => {
        const input = tf.tensor4d(x, [...shape]);
        const filter = tf.tensor4d(randomFloats(k * k * 6, mulberry32(11)), [k, k, 1, 6]);
        const dw = tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(input, w as tf.Tensor4D, stride, pad))))(
          filter,
        );
        tf.dispose([input, filter]);
        return [dw];
      });
      expectSameBits(both);
    },
  );
});
