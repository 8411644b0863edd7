// A training step of each zoo model on the native backend: no element-wise kernel of the hot path
// falls back to the cpu kernel, and a second step takes no new buffers from the native pool.
import { nativeCpuFallbacks, nativePoolStats } from '@cnn/backend';
import { describeEachBackend } from '@cnn/testing';
import { manualSeed } from '@cnn/layers';
import { trainStep } from '@cnn/train';
import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { RECIPES } from '../src/index';

const ELEMENTWISE = ['Add', 'Sub', 'Multiply', 'RealDiv', 'SquaredDifference', 'Maximum', 'Minimum'];

/** Kernel name: calls handed to cpu while fn ran. */
function fallbacksDuring(fn: () => void): Record<string, number> {
  const before = nativeCpuFallbacks();
  fn();
  const after = nativeCpuFallbacks();
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(after)) if (n !== (before[k] ?? 0)) out[k] = n - (before[k] ?? 0);
  return out;
}

describeEachBackend(
  'training steps of the zoo models on native',
  () => {
    for (const r of RECIPES) {
      it(`${r.id} ${r.name}: no element-wise cpu fallback, no new pool buffers in the second step`, () => {
        manualSeed(0);
        const model = r.build();
        const optimizer = r.optimizer(model);
        const batch = Math.min(r.batchSize, 8); // the shapes' structure, not the batch size, decides the path
        const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1);
        const y = tf.randomUniform([batch], 0, 10, 'int32', 2);
        const step = () => {
          const { loss, output } = trainStep(model, optimizer, r.lossFn, { x, y });
          expect(Number.isFinite(loss.dataSync()[0])).toBe(true);
          tf.dispose([loss, output]);
        };
        try {
          model.train();
          const fallbacks = fallbacksDuring(step);
          for (const k of ELEMENTWISE) expect(fallbacks[k], `${k} fell back to cpu`).toBeUndefined();
          step(); // the optimizer's state exists from here on
          const before = nativePoolStats().allocated;
          const tensors = tf.memory().numTensors;
          step();
          expect(nativePoolStats().allocated - before).toBe(0);
          expect(tf.memory().numTensors).toBe(tensors);
        } finally {
          tf.dispose([x, y]);
          optimizer.dispose();
          model.dispose();
        }
      }, 120_000);
    }
  },
  { backends: ['native'] },
);
