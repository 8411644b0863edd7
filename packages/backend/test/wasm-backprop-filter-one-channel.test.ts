import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, useBackend } from '../src/index';
import { expectClose, mulberry32, randomFloats } from '@cnn/testing';
import { onBoth } from './wasm-helpers';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

beforeAll(async () => {
  await registerWasmTrainingKernels();
  await useBackend('wasm');
});

const dwAttrs = (filterShape: number[], stride: number, pad: Pad) =>
  ({ strides: stride, pad, filterShape, dataFormat: 'NHWC' }) as never;

describe('Conv2DBackpropFilter for one input channel (taps product)', () => {
  const cases: { x: [number, number, number, number]; k: number; cout: number; stride: number; pad: Pad }[] = [
    { x: [3, 12, 12, 1], k: 5, cout: 64, stride: 1, pad: 'same' },
    { x: [4, 28, 28, 1], k: 5, cout: 16, stride: 1, pad: 'same' },
    { x: [2, 10, 7, 1], k: 3, cout: 5, stride: 3, pad: 'valid' },
    { x: [3, 8, 13, 1], k: 4, cout: 1, stride: 2, pad: 'same' },
    { x: [2, 11, 9, 1], k: 5, cout: 70, stride: 1, pad: 'valid' },
    { x: [2, 11, 10, 1], k: 3, cout: 64, stride: 2, pad: 'same' },
    {
      x: [1, 9, 9, 1],
      k: 3,
      cout: 65,
      stride: 2,
      pad: [
        [0, 0],
        [2, 0],
        [1, 3],
        [0, 0],
      ],
    },
  ];
  for (const c of cases) {
    it(`matches cpu: x ${c.x} filter ${c.k}x${c.k}x1x${c.cout} stride ${c.stride} pad ${JSON.stringify(c.pad)}`, async () => {
      const filterShape: [number, number, number, number] = [c.k, c.k, 1, c.cout];
      const dyShape = tf.tidy(
        () => tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, tf.zeros(filterShape) as tf.Tensor4D, c.stride, c.pad).shape,
      );
      const next = mulberry32(c.x[1]! * 31 + c.cout);
      const { cpu, wasm } = await onBoth(
        [
          { data: randomFloats(tf.util.sizeFromShape(c.x), next), shape: c.x },
          { data: randomFloats(tf.util.sizeFromShape(dyShape), next), shape: dyShape },
        ],
        (x, dy) =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x: x!, dy: dy! }, dwAttrs(filterShape, c.stride, c.pad)),
      );
      expectClose(wasm[0] as Float32Array, cpu[0] as Float32Array, { rtol: 1e-4, atol: 1e-4, what: 'dW' });
    });
  }

  it('a known case: one image of ones, dy all ones, valid padding counts how often each tap is inside', async () => {
    await useBackend('wasm');
    const x = tf.ones([1, 4, 4, 1]);
    const dy = tf.ones([1, 2, 2, 64]);
    const dw = tf
      .engine()
      .runKernel('Conv2DBackpropFilter', { x, dy }, dwAttrs([3, 3, 1, 64], 1, 'valid')) as tf.Tensor;
    expect(dw.shape).toEqual([3, 3, 1, 64]);
    // Every tap sees 4 ones (2x2 output positions), for every output channel.
    expect(Array.from(await dw.data())).toEqual(new Array(9 * 64).fill(4));
    const dwSame = tf
      .engine()
      .runKernel(
        'Conv2DBackpropFilter',
        { x, dy: tf.ones([1, 4, 4, 64]) },
        dwAttrs([3, 3, 1, 64], 1, 'same'),
      ) as tf.Tensor;
    // With same padding the corner tap (0, 0) is inside for 3x3 of the 4x4 positions, the centre for all 16.
    const values = await dwSame.data();
    expect([values[0], values[4 * 64], values[8 * 64 + 63]]).toEqual([9, 16, 9]);
    tf.dispose([x, dy, dw, dwSame]);
  });

  it('keeps tf.memory() and the wasm buffers flat', async () => {
    await useBackend('wasm');
    const count = () => (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
    const x = tf.ones([2, 8, 8, 1]);
    const dy = tf.ones([2, 8, 8, 64]);
    const run = () =>
      tf.dispose(
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, dwAttrs([5, 5, 1, 64], 1, 'same')) as tf.Tensor,
      );
    run();
    const before = [tf.memory().numTensors, count()];
    for (let i = 0; i < 3; i++) run();
    expect([tf.memory().numTensors, count()]).toEqual(before);
    tf.dispose([x, dy]);
  });
});
