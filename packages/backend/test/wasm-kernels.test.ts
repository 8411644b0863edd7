import * as fusedKernels from '@cnn/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend, WASM_TRAINING_KERNELS, WasmKernelInputError } from '../src/index';
import { expectClose, mulberry32, pick, randomFloats, randomInt } from '@cnn/testing';
import { onBoth } from './wasm-helpers';

type Shape4 = [number, number, number, number];
type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface ConvCase {
  x: number[];
  filter: number[];
  stride: number;
  pad: Pad;
}

/** Randomized conv problems: batch 1..3, odd and even sizes, 1 or many channels, both strides, all paddings. */
function convCases(count: number, seed: number): ConvCase[] {
  const next = mulberry32(seed);
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const i = cases.length;
    const k = pick(next, [1, 2, 3, 5]);
    const h = randomInt(next, k, 11);
    const w = randomInt(next, k, 11);
    const cin = i % 3 === 0 ? 1 : pick(next, [1, 3, 8]);
    const cout = pick(next, [1, 4, 7]);
    const n = i % 4 === 0 ? 1 : randomInt(next, 2, 3);
    const stride = i % 2 === 0 ? 1 : 2;
    const kind = i % 3;
    const pad: Pad =
      kind === 0
        ? 'same'
        : kind === 1
          ? 'valid'
          : [
              [0, 0],
              [randomInt(next, 0, k - 1), randomInt(next, 0, k)],
              [randomInt(next, 0, k), randomInt(next, 0, k - 1)],
              [0, 0],
            ];
    cases.push({ x: [n, h, w, cin], filter: [k, k, cin, cout], stride, pad });
  }
  return cases;
}

function outShape(c: ConvCase): number[] {
  return tf.tidy(
    () =>
      tf.conv2d(tf.zeros(c.x as Shape4) as tf.Tensor4D, tf.zeros(c.filter as Shape4) as tf.Tensor4D, c.stride, c.pad)
        .shape,
  );
}

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

describe('registerWasmTrainingKernels', () => {
  it('registers our kernel configs for wasm, and is idempotent', async () => {
    await registerWasmTrainingKernels();
    await registerWasmTrainingKernels();
    const fused = new Set<string>(Object.values(fusedKernels).filter((v) => typeof v === 'string'));
    const names = WASM_TRAINING_KERNELS.map((k) => k.kernelName);
    expect(names.filter((n) => !fused.has(n))).toEqual([
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'BatchMatMul',
      'MaxPoolGrad',
      'Identity',
      'Cast',
      'Sum',
      'Add',
      'Multiply',
    ]);
    for (const config of WASM_TRAINING_KERNELS) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
  });
});

describe('Conv2DBackpropFilter and Conv2DBackpropInput on wasm match cpu', () => {
  for (const [index, c] of convCases(24, 7).entries()) {
    it(`case ${index}: x ${c.x} filter ${c.filter} stride ${c.stride} pad ${JSON.stringify(c.pad)}`, async () => {
      const next = mulberry32(100 + index);
      const y = outShape(c);
      const inputs = [
        { data: randomFloats(tf.util.sizeFromShape(c.x), next), shape: c.x },
        { data: randomFloats(tf.util.sizeFromShape(c.filter), next), shape: c.filter },
        { data: randomFloats(tf.util.sizeFromShape(y), next), shape: y },
      ];
      // Gradients of sum(conv(x, f) * upstream): dx runs Conv2DBackpropInput, df Conv2DBackpropFilter.
      const { cpu, wasm } = await onBoth(inputs, (x, f, up) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) =>
          tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad), up as tf.Tensor)),
        )([x as tf.Tensor, f as tf.Tensor]),
      );
      expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-4, atol: 2e-4, what: 'dx' });
      expectClose(wasm[1] as Float32Array, cpu[1] as Float32Array, { rtol: 1e-4, atol: 2e-4, what: 'dfilter' });
    });
  }

  it('conv2dTranspose (Conv2DBackpropInput directly) with stride 2 and same padding', async () => {
    const next = mulberry32(3);
    const dy = [2, 4, 5, 6];
    const filter = [3, 3, 3, 6];
    const { cpu, wasm } = await onBoth(
      [
        { data: randomFloats(tf.util.sizeFromShape(dy), next), shape: dy },
        { data: randomFloats(tf.util.sizeFromShape(filter), next), shape: filter },
      ],
      (d, f) => tf.conv2dTranspose(d as tf.Tensor4D, f as tf.Tensor4D, [2, 7, 9, 3], 2, 'same'),
    );
    expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-4, atol: 1e-4, what: 'conv2dTranspose' });
  });
});

describe('BatchMatMul on wasm matches cpu', () => {
  const shapes: [number[], number[], boolean, boolean][] = [];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      // m x k times k x n with odd sizes, as 2-D and as batch-1 3-D.
      const a = ta ? [7, 5] : [5, 7];
      const b = tb ? [3, 7] : [7, 3];
      shapes.push([a, b, ta, tb]);
      shapes.push([[1, ...a], [1, ...b], ta, tb]);
      // Shapes where transposing the output is cheaper than transposing a big operand.
      shapes.push([ta ? [40, 2] : [2, 40], tb ? [33, 40] : [40, 33], ta, tb]);
      // A real batch on both sides goes to the stock kernel.
      shapes.push([[3, ...a], [3, ...b], ta, tb]);
      // A batch times one matrix is stacked into one product (also with extra outer dims).
      shapes.push([[3, ...a], b, ta, tb]);
      shapes.push([[2, 2, ...a], [1, ...b], ta, tb]);
      shapes.push([[2, ...a], [1, 1, ...b], ta, tb]);
      // Vector-like operands.
      shapes.push([ta ? [1, 1] : [1, 1], tb ? [4, 1] : [1, 4], ta, tb]);
    }
  }
  for (const [a, b, ta, tb] of shapes) {
    it(`a ${a} b ${b} transposeA ${ta} transposeB ${tb}`, async () => {
      const next = mulberry32(a.length * 100 + b.reduce((s, v) => s + v, 0));
      const { cpu, wasm } = await onBoth(
        [
          { data: randomFloats(tf.util.sizeFromShape(a), next), shape: a },
          { data: randomFloats(tf.util.sizeFromShape(b), next), shape: b },
        ],
        (x, y) => tf.matMul(x as tf.Tensor, y as tf.Tensor, ta, tb),
      );
      expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-5, atol: 1e-5, what: 'matMul' });
    });
  }

  it('dense layer gradients (both transposed products) match cpu', async () => {
    const next = mulberry32(11);
    const { cpu, wasm } = await onBoth(
      [
        { data: randomFloats(tf.util.sizeFromShape([9, 31]), next), shape: [9, 31] },
        { data: randomFloats(tf.util.sizeFromShape([31, 17]), next), shape: [31, 17] },
        { data: randomFloats(tf.util.sizeFromShape([9, 17]), next), shape: [9, 17] },
      ],
      (x, w, up) =>
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a, b), up as tf.Tensor)))([
          x as tf.Tensor,
          w as tf.Tensor,
        ]),
    );
    expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-5, atol: 1e-5, what: 'dx' });
    expectClose(wasm[1] as Float32Array, cpu[1] as Float32Array, { rtol: 1e-5, atol: 1e-5, what: 'dw' });
  });
});

describe('MaxPoolGrad on wasm matches cpu', () => {
  const cases: { x: number[]; size: number; stride: number; pad: 'same' | 'valid' | number; ties: boolean }[] = [
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', ties: false },
    { x: [1, 7, 9, 1], size: 2, stride: 2, pad: 'valid', ties: false },
    { x: [3, 7, 9, 4], size: 2, stride: 2, pad: 'same', ties: false },
    { x: [2, 9, 9, 2], size: 3, stride: 2, pad: 'same', ties: false },
    { x: [2, 9, 8, 5], size: 3, stride: 1, pad: 'valid', ties: false },
    { x: [1, 6, 6, 2], size: 3, stride: 2, pad: 1, ties: false },
    // Integer values (after relu, many zeros): windows with several equal maxima.
    { x: [2, 8, 8, 3], size: 2, stride: 2, pad: 'valid', ties: true },
    { x: [2, 9, 9, 2], size: 3, stride: 2, pad: 'same', ties: true },
  ];
  for (const [index, c] of cases.entries()) {
    it(`x ${c.x} pool ${c.size} stride ${c.stride} pad ${c.pad}${c.ties ? ' with ties' : ''}`, async () => {
      const next = mulberry32(500 + index);
      const data = randomFloats(tf.util.sizeFromShape(c.x), next).map((v) =>
        c.ties ? Math.max(0, Math.round(v * 2)) : v,
      );
      const y = tf.tidy(() => tf.maxPool(tf.zeros(c.x as Shape4) as tf.Tensor4D, c.size, c.stride, c.pad).shape);
      const { cpu, wasm } = await onBoth(
        [
          { data, shape: c.x },
          { data: randomFloats(tf.util.sizeFromShape(y), next), shape: y },
        ],
        (x, up) =>
          tf.grad((a: tf.Tensor) =>
            tf.sum(tf.mul(tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad), up as tf.Tensor)),
          )(x as tf.Tensor),
      );
      expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 0, atol: 1e-6, what: 'dx' });
    });
  }
});

describe('wasm training kernels reject input they do not handle', () => {
  const runKernel = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>) => () =>
    tf.tidy(() => tf.engine().runKernel(name, inputs, attrs as never));

  it('Conv2DBackpropFilter with NCHW data', () => {
    const x = tf.zeros([1, 2, 5, 5]);
    const dy = tf.zeros([1, 3, 5, 5]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] };
    expect(runKernel('Conv2DBackpropFilter', { x, dy }, attrs)).toThrow(WasmKernelInputError);
    expect(runKernel('Conv2DBackpropFilter', { x, dy }, attrs)).toThrow(
      "@cnn/backend wasm Conv2DBackpropFilter: unsupported dataFormat 'NCHW' (expected 'NHWC')",
    );
    tf.dispose([x, dy]);
  });

  it('Conv2DBackpropInput with NCHW data', () => {
    const dy = tf.zeros([1, 3, 5, 5]);
    const filter = tf.zeros([3, 3, 2, 3]);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NCHW', inputShape: [1, 2, 5, 5] };
    expect(runKernel('Conv2DBackpropInput', { dy, filter }, attrs)).toThrow(
      "@cnn/backend wasm Conv2DBackpropInput: unsupported dataFormat 'NCHW' (expected 'NHWC')",
    );
    tf.dispose([dy, filter]);
  });

  it('MaxPoolGrad on int32 tensors', () => {
    const input = tf.zeros([1, 4, 4, 1], 'int32');
    const output = tf.zeros([1, 2, 2, 1], 'int32');
    const dy = tf.zeros([1, 2, 2, 1], 'int32');
    const error = (() => {
      try {
        runKernel('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' })();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(WasmKernelInputError);
    expect((error as WasmKernelInputError).kernel).toBe('MaxPoolGrad');
    expect((error as Error).message).toBe('@cnn/backend wasm MaxPoolGrad: unsupported dtype int32 (expected float32)');
    tf.dispose([input, output, dy]);
  });
});
