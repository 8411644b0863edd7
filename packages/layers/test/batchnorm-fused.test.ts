import { BATCH_NORM_GRAD, BATCH_NORM_TRAIN, hasFusedKernel, LOG_SOFTMAX, setFusedKernels } from '@cnn/kernels';
import { describeEachBackend, expectClose, randomFloats } from '@cnn/testing';
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, expect, it } from 'vitest';
import { BatchNorm2d, LogSoftmax } from '../src/index';

/** Tight: the fused kernel and tfjs's composite ops compute the same float32 formula in another order. */
const TIGHT = { rtol: 1e-4, atol: 1e-5 };

afterEach(() => {
  setFusedKernels(true);
});

/** Runs `steps` training-mode steps of a BatchNorm2d with fused kernels on or off; every value it produced. */
function bnRun(fused: boolean, shape: number[], momentum: number | null, steps: number) {
  const previous = setFusedKernels(fused);
  const c = shape[3]!;
  const bn = new BatchNorm2d(c, { momentum });
  tf.tidy(() => {
    bn.weight.assign(tf.tensor1d(randomFloats(c, 7, 0.5, 1.5)));
    bn.bias.assign(tf.tensor1d(randomFloats(c, 8)));
  });
  const out: Record<string, number[]>[] = [];
  for (let s = 0; s < steps; s++) {
    // A mean far from 0 checks that the variance does not cancel.
    const x = tf.tensor(
      randomFloats(
        shape.reduce((a, b) => a * b),
        100 + s,
        2,
        6,
      ),
      shape,
    );
    const r = tf.tensor(randomFloats(x.size, 200 + s), shape);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(bn.apply(x), r)) as tf.Scalar, [bn.weight, bn.bias]);
    const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(bn.apply(xi), r)))(x);
    out.push({
      loss: [value.dataSync()[0]!],
      dx: [...dx.dataSync()],
      dgamma: [...grads[bn.weight.name]!.dataSync()],
      dbeta: [...grads[bn.bias.name]!.dataSync()],
      runningMean: [...bn.runningMean.dataSync()],
      runningVar: [...bn.runningVar.dataSync()],
    });
    tf.dispose([x, r, value, dx, ...Object.values(grads)]);
  }
  bn.eval();
  const x = tf.tensor(
    randomFloats(
      shape.reduce((a, b) => a * b),
      999,
      2,
      6,
    ),
    shape,
  );
  const y = bn.apply(x);
  out.push({ evalY: [...y.dataSync()], tracked: [...bn.numBatchesTracked.dataSync()] });
  tf.dispose([x, y]);
  bn.dispose();
  setFusedKernels(previous);
  return out;
}

describeEachBackend(
  'BatchNorm2d fused kernels agree with the composite ops',
  () => {
    it('the backend has the fused kernels', () => {
      expect(hasFusedKernel(BATCH_NORM_TRAIN)).toBe(true);
      expect(hasFusedKernel(BATCH_NORM_GRAD)).toBe(true);
      setFusedKernels(false);
      expect(hasFusedKernel(BATCH_NORM_TRAIN)).toBe(false);
    });

    it.each([
      { shape: [4, 5, 5, 10], momentum: 0.1 as number | null },
      { shape: [1, 3, 3, 7], momentum: 0.1 }, // batch 1, channels not a multiple of 8
      { shape: [2, 7, 7, 40], momentum: null }, // cumulative average, as the 004 model's last batch norm
      { shape: [2, 1, 1, 3], momentum: 0.5 }, // 2 values per channel, the least training allows
    ])('$shape momentum $momentum: output, gradients, running stats over 3 steps, eval', ({ shape, momentum }) => {
      const composite = bnRun(false, shape, momentum, 3);
      const fused = bnRun(true, shape, momentum, 3);
      composite.forEach((step, i) => {
        for (const [key, value] of Object.entries(step)) {
          expectClose(fused[i]![key]!, value, { ...TIGHT, atol: 1e-4, what: `step ${i} ${key}` });
        }
      });
    });

    it('one kernel forward and one backward, and tf.memory() stays flat', async () => {
      const bn = new BatchNorm2d(6);
      const x = tf.randomNormal([3, 4, 4, 6], 1, 2, 'float32', 5);
      const step = () => {
        const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(bn.apply(x))) as tf.Scalar);
        tf.dispose([value, ...Object.values(grads)]);
      };
      step();
      const before = tf.memory().numTensors;
      for (let i = 0; i < 4; i++) step();
      expect(tf.memory().numTensors).toBe(before);
      const names = (await tf.profile(step)).kernels.map((k) => k.name);
      expect(names.filter((n) => n === BATCH_NORM_TRAIN)).toHaveLength(1);
      expect(names.filter((n) => n === BATCH_NORM_GRAD)).toHaveLength(1);
      // None of the composite path's statistics kernels run.
      expect(names.filter((n) => ['SquaredDifference', 'Rsqrt', 'FusedBatchNorm'].includes(n))).toEqual([]);
      bn.dispose();
      x.dispose();
    });

    it('LogSoftmax: fused equals composite for large values, forward and gradient', () => {
      const run = (fused: boolean) => {
        const previous = setFusedKernels(fused);
        const x = tf.tensor2d([
          [1000, -1000, 3, 999.5],
          [-3e4, -3e4 + 1, -3e4 + 2, -3e4 + 3],
        ]);
        const r = tf.tensor2d([1, 2, -1, 0.5, 0.25, -2, 3, 1], [2, 4]);
        const f = (xi: tf.Tensor) => tf.sum(tf.mul(new LogSoftmax().apply(xi), r));
        const y = new LogSoftmax().apply(x);
        const dx = tf.grad(f)(x);
        const out = { y: [...y.dataSync()], dx: [...dx.dataSync()], fusedKernel: hasFusedKernel(LOG_SOFTMAX) };
        tf.dispose([x, r, y, dx]);
        setFusedKernels(previous);
        return out;
      };
      const composite = run(false);
      const fused = run(true);
      expect(fused.fusedKernel).toBe(true);
      expect(fused.y.every(Number.isFinite)).toBe(true);
      expectClose(fused.y, composite.y, { ...TIGHT, what: 'y' });
      expectClose(fused.dx, composite.dx, { ...TIGHT, what: 'dx' });
    });
  },
  { backends: ['native', 'wasm'] },
);
