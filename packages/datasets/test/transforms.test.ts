import { describe, expect, test } from 'vitest';
import {
  applyTransform,
  DatasetArgumentError,
  HALF_MEAN_STD,
  labelCounts,
  MNIST_MEAN_STD,
  mixSeed,
  normalize,
  permutation,
  pixelHistogram,
  pixelMeanStd,
  rawPixels,
  scaleTo01,
  seededRandom,
} from '../src/index';

const pixels = new Uint8Array([0, 51, 102, 255]);

describe('pixel transforms', () => {
  test('scale to [0, 1]', () => {
    expect(Array.from(applyTransform(scaleTo01(), pixels))).toEqual([0, 0.20000000298023224, 0.4000000059604645, 1]);
  });

  test('raw pixels are unchanged', () => {
    expect(Array.from(applyTransform(rawPixels(), pixels))).toEqual([0, 51, 102, 255]);
  });

  test('normalise with the MNIST (0.1307, 0.3081) constants', () => {
    const out = applyTransform(normalize(MNIST_MEAN_STD.mean, MNIST_MEAN_STD.std), pixels);
    expect(out[0]).toBeCloseTo(-0.424212917, 6);
    expect(out[3]).toBeCloseTo(2.821486531, 6);
  });

  test('normalise with (0.5, 0.5) maps [0, 255] to [-1, 1] and writes into a given buffer', () => {
    const target = new Float32Array(6).fill(7);
    const out = applyTransform(normalize(HALF_MEAN_STD.mean, HALF_MEAN_STD.std), pixels, target.subarray(1, 5));
    expect(out.buffer).toBe(target.buffer);
    expect(Array.from(target)).toEqual([7, -1, Math.fround(-0.6), Math.fround((102 / 255 - 0.5) / 0.5), 1, 7]);
  });

  test('std must be positive and finite', () => {
    expect(() => normalize(0.5, 0)).toThrow(DatasetArgumentError);
    expect(() => normalize(Number.NaN, 1)).toThrow(
      '<normalize>: mean/std is wrong: expected a finite mean and a finite std > 0, found mean NaN, std 1',
    );
  });
});

describe('statistics', () => {
  test('label counts, histogram and exact mean/std', () => {
    expect(labelCounts(new Uint8Array([0, 2, 2, 1, 2]), 4)).toEqual([1, 1, 3, 0]);
    const h = pixelHistogram(new Uint8Array([0, 0, 255]));
    expect([h[0], h[1], h[255]]).toEqual([2, 0, 1]);
    const { mean, std } = pixelMeanStd(new Uint8Array([0, 255]));
    expect(mean).toBe(0.5);
    expect(std).toBe(0.5);
  });
});

describe('seeded shuffles', () => {
  test('same seed, same numbers; different seeds differ', () => {
    const a = seededRandom(1);
    const b = seededRandom(1);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    expect(seededRandom(2)()).not.toBe(first[0]);
    for (const x of first) expect(x >= 0 && x < 1).toBe(true);
  });

  test('permutation is a pinned, complete permutation', () => {
    const p = permutation(10, 42);
    expect(Array.from(p).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(p)).toEqual(Array.from(permutation(10, 42)));
    expect(Array.from(p)).not.toEqual(Array.from(permutation(10, 43)));
    expect(mixSeed(42, 0)).not.toBe(mixSeed(42, 1));
  });

  test('uniform enough: each of 4 positions takes each value about equally often', () => {
    const counts = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
    for (let s = 0; s < 4000; s++) {
      permutation(4, s).forEach((v, i) => {
        counts[i]![v]!++;
      });
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 1000)).toBeLessThan(120);
  });
});
