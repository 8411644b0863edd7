import '@tensorflow/tfjs-backend-cpu';
import type * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Conv2d, Generator, getRngState, kaimingUniform, Linear, manualSeed, setRngState } from '../src/index';

function stats(t: tf.Tensor) {
  const v = t.dataSync();
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sq = 0;
  for (const x of v) {
    min = Math.min(min, x);
    max = Math.max(max, x);
    sum += x;
    sq += x * x;
  }
  const mean = sum / v.length;
  return { min, max, mean, std: Math.sqrt(sq / v.length - mean * mean) };
}

it("uses torch's default bounds: 1/sqrt(fan_in) for weights and biases", () => {
  manualSeed(42);
  const conv = new Conv2d(32, 64, 5);
  const bound = 1 / Math.sqrt(32 * 25);
  const w = stats(conv.weight);
  expect(w.max).toBeLessThanOrEqual(bound);
  expect(w.min).toBeGreaterThanOrEqual(-bound);
  expect(w.max).toBeGreaterThan(0.99 * bound);
  // uniform(-b, b) has std b/sqrt(3)
  expect(w.std).toBeCloseTo(bound / Math.sqrt(3), 3);
  expect(Math.abs(w.mean)).toBeLessThan(0.01 * bound * 10);
  const b = stats(conv.bias as tf.Variable);
  expect(b.max).toBeLessThanOrEqual(bound);
  expect(b.min).toBeGreaterThanOrEqual(-bound);
  const fc = new Linear(3136, 10);
  expect(stats(fc.weight).max).toBeLessThanOrEqual(1 / Math.sqrt(3136));
  expect(stats(fc.weight).max).toBeGreaterThan(0.99 / Math.sqrt(3136));
  conv.dispose();
  fc.dispose();
});

it('is reproducible from the seed and from a saved generator state', () => {
  manualSeed(7);
  const a = new Linear(5, 3);
  const state = getRngState();
  const b = new Linear(5, 3);
  manualSeed(7);
  const c = new Linear(5, 3);
  setRngState(state);
  const d = new Linear(5, 3);
  expect(Array.from(c.weight.dataSync())).toEqual(Array.from(a.weight.dataSync()));
  expect(Array.from(d.weight.dataSync())).toEqual(Array.from(b.weight.dataSync()));
  expect(Array.from(a.weight.dataSync())).not.toEqual(Array.from(b.weight.dataSync()));
  const own = new Linear(5, 3, { generator: new Generator(7) });
  const own2 = new Linear(5, 3, { generator: new Generator(7) });
  expect(Array.from(own.weight.dataSync())).toEqual(Array.from(own2.weight.dataSync()));
  for (const m of [a, b, c, d, own, own2]) m.dispose();
});

it('kaimingUniform with a = 0 gives the plain He bound sqrt(6 / fan_in)', () => {
  const t = kaimingUniform([1000], 6, new Generator(1), 0);
  const s = stats(t);
  expect(s.max).toBeLessThanOrEqual(1);
  expect(s.max).toBeGreaterThan(0.98);
  t.dispose();
});
