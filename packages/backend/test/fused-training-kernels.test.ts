// The fused training kernels of @cnn/kernels on the native and wasm backends: values worked out by
// hand, and bad inputs as typed errors naming the kernel (never a crash, nothing leaked).
import {
  BATCH_NORM_GRAD,
  BATCH_NORM_TRAIN,
  CROSS_ENTROPY,
  CROSS_ENTROPY_GRAD,
  LOG_SOFTMAX,
  NLL_LOSS,
} from '@cnn/kernels';
import { describeEachBackend, expectClose } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { NativeKernelError, WasmKernelInputError } from '../src/index';

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];

describeEachBackend(
  'fused training kernels',
  (backend) => {
    it('BATCH_NORM_TRAIN and BATCH_NORM_GRAD on two values per channel', () => {
      const eps = 1e-5;
      // Channel 0 holds 1 and 3 (mean 2, biased var 1), channel 1 holds 4 and 4 (var 0).
      const x = tf.tensor2d([1, 4, 3, 4], [2, 2]);
      const scale = tf.tensor1d([2, 1]);
      const offset = tf.tensor1d([0.5, -1]);
      const runningMean = tf.tensor1d([0, 1]);
      const runningVar = tf.tensor1d([1, 2]);
      const outs = run(
        BATCH_NORM_TRAIN,
        { x, scale, offset, runningMean, runningVar },
        { epsilon: eps, momentum: 0.1 },
      ) as tf.Tensor[];
      const [y, mean, invStd, newMean, newVar] = outs;
      const inv0 = 1 / Math.sqrt(1 + eps);
      const inv1 = 1 / Math.sqrt(eps);
      expectClose(y!, [
        [0.5 - 2 * inv0, -1],
        [0.5 + 2 * inv0, -1],
      ]);
      expectClose(mean!, [2, 4]);
      expectClose(invStd!, [inv0, inv1], { rtol: 1e-5 });
      expectClose(newMean!, [0.2, 0.9 + 0.4]);
      expectClose(newVar!, [0.9 + 0.1 * 2, 1.8]); // unbiased variance: 2 and 0
      // dy = [[1, 1], [0, 1]]: channel 0 has sum(dy) 1 and sum(dy * xhat) -inv0.
      const dy = tf.tensor2d([1, 1, 0, 1], [2, 2]);
      const [dx, dScale, dOffset] = run(BATCH_NORM_GRAD, { dy, x, scale, mean: mean!, invStd: invStd! }) as tf.Tensor[];
      expectClose(dOffset!, [1, 2]);
      expectClose(dScale!, [-inv0 * inv0, 0]);
      // dx = scale * inv * (dy - mean(dy) - xhat * mean(dy * xhat)); channel 0's xhat = -/+inv0.
      const xhat = [-inv0, inv0];
      const g = [1, 0];
      const dx0 = g.map((gi, i) => 2 * inv0 * (gi - 0.5 - xhat[i]! * ((-inv0 * inv0) / 2)));
      expectClose(dx!, [
        [dx0[0]!, 0],
        [dx0[1]!, 0],
      ]);
      tf.dispose([x, scale, offset, runningMean, runningVar, dy, ...outs, dx!, dScale!, dOffset!]);
    });

    it('CROSS_ENTROPY and its gradient, LOG_SOFTMAX and NLL_LOSS on small rows', () => {
      const logits = tf.tensor2d([0, 0, Math.log(3), 0], [2, 2]);
      const labels = tf.tensor1d([1, 0], 'int32');
      const [loss, lse] = run(CROSS_ENTROPY, { logits, labels }, { reduction: 'mean' }) as tf.Tensor[];
      expectClose(lse!, [Math.log(2), Math.log(4)]);
      expectClose(loss!, (Math.log(2) + Math.log(4) - Math.log(3)) / 2);
      const dy = tf.scalar(2);
      const d = run(CROSS_ENTROPY_GRAD, { dy, logits, labels, logSumExp: lse! }, { reduction: 'mean' }) as tf.Tensor;
      expectClose(d, [
        [0.5, -0.5],
        [-0.25, 0.25],
      ]);
      const logProbs = run(LOG_SOFTMAX, { x: logits }) as tf.Tensor;
      expectClose(logProbs, [
        [-Math.log(2), -Math.log(2)],
        [Math.log(3 / 4), Math.log(1 / 4)],
      ]);
      const nll = run(NLL_LOSS, { logProbs, labels }, { reduction: 'sum', classes: 2 }) as tf.Tensor;
      expectClose(nll, Math.log(2) - Math.log(3 / 4));
      tf.dispose([logits, labels, loss!, lse!, dy, d, logProbs, nll]);
    });

    const x3 = () => tf.ones([2, 2, 2, 3]);
    const vec = (n: number) => tf.ones([n]);
    const bad: { what: string; kernel: string; call: () => unknown; says: RegExp }[] = [
      {
        what: 'one value per channel',
        kernel: BATCH_NORM_TRAIN,
        call: () =>
          run(
            BATCH_NORM_TRAIN,
            { x: tf.ones([1, 1, 1, 3]), scale: vec(3), offset: vec(3), runningMean: vec(3), runningVar: vec(3) },
            { epsilon: 1e-5, momentum: 0.1 },
          ),
        says: /at least 2 values per channel/,
      },
      {
        what: 'scale of the wrong length',
        kernel: BATCH_NORM_TRAIN,
        call: () =>
          run(
            BATCH_NORM_TRAIN,
            { x: x3(), scale: vec(4), offset: vec(3), runningMean: vec(3), runningVar: vec(3) },
            { epsilon: 1e-5, momentum: 0.1 },
          ),
        says: /scale must be float32 \[3\]/,
      },
      {
        what: 'momentum out of range',
        kernel: BATCH_NORM_TRAIN,
        call: () =>
          run(
            BATCH_NORM_TRAIN,
            { x: x3(), scale: vec(3), offset: vec(3), runningMean: vec(3), runningVar: vec(3) },
            { epsilon: 1e-5, momentum: 2 },
          ),
        says: /momentum must be in \[0, 1\]/,
      },
      {
        what: 'dy of another shape',
        kernel: BATCH_NORM_GRAD,
        call: () =>
          run(BATCH_NORM_GRAD, { dy: tf.ones([2, 2, 2, 2]), x: x3(), scale: vec(3), mean: vec(3), invStd: vec(3) }),
        says: /dy must be float32 of x's shape/,
      },
      {
        what: 'a label out of range',
        kernel: CROSS_ENTROPY,
        call: () =>
          run(CROSS_ENTROPY, { logits: tf.ones([2, 3]), labels: tf.tensor1d([0, 3], 'int32') }, { reduction: 'mean' }),
        says: /label 3 of row 1 is not a class id in \[0, 3\)/,
      },
      {
        what: 'float32 labels',
        kernel: CROSS_ENTROPY,
        call: () => run(CROSS_ENTROPY, { logits: tf.ones([2, 3]), labels: tf.tensor1d([0, 1]) }, { reduction: 'mean' }),
        says: /labels must be int32/,
      },
      {
        what: "reduction 'none'",
        kernel: NLL_LOSS,
        call: () =>
          run(NLL_LOSS, { logProbs: tf.ones([2, 3]), labels: tf.tensor1d([0, 1], 'int32') }, { reduction: 'none' }),
        says: /reduction must be 'mean' or 'sum'/,
      },
      {
        what: 'int32 input',
        kernel: LOG_SOFTMAX,
        call: () => run(LOG_SOFTMAX, { x: tf.ones([2, 3], 'int32') }),
        says: /x must be float32/,
      },
    ];

    it.each(bad)('$kernel with $what: a typed error naming the kernel, nothing leaked', ({ kernel, call, says }) => {
      const before = tf.memory().numTensors;
      let error: unknown;
      tf.tidy(() => {
        try {
          call();
        } catch (e) {
          error = e;
        }
      });
      const type = backend === 'native' ? NativeKernelError : WasmKernelInputError;
      expect(error).toBeInstanceOf(type);
      expect((error as NativeKernelError | WasmKernelInputError).kernel).toBe(kernel);
      expect((error as Error).message).toMatch(says);
      if (backend === 'native') expect((error as Error).message).toMatch(/\[[\d,]+\]/); // names the shapes
      expect(tf.memory().numTensors).toBe(before);
    });
  },
  { backends: ['native', 'wasm'] },
);
