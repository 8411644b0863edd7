import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  affineImage,
  augmentBatch,
  augmentSeed,
  batches,
  DatasetArgumentError,
  type ImageSet,
  loadMnistSplit,
  normalize,
  randomAffine,
} from '../src/index';
import { removeDir, tempDir, writeTinySet } from './helpers';

// 1..9 in a 3x3 image, row by row.
const nine = Float32Array.from({ length: 9 }, (_, i) => i + 1);
const apply = (params: { degrees?: number; scale?: number; dx?: number; dy?: number }, fill = 0) =>
  Array.from(affineImage(nine, new Float32Array(9), 3, 3, { degrees: 0, scale: 1, dx: 0, dy: 0, ...params }, fill));

describe('affineImage', () => {
  test('the identity copies the image', () => {
    expect(apply({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('90 degrees turns the image a quarter counter-clockwise, exactly', () => {
    expect(apply({ degrees: 90 })).toEqual([3, 6, 9, 2, 5, 8, 1, 4, 7]);
    expect(apply({ degrees: -90 })).toEqual([7, 4, 1, 8, 5, 2, 9, 6, 3]);
    expect(apply({ degrees: 180 })).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  test('a shift of one pixel moves every pixel and fills the uncovered edge', () => {
    expect(apply({ dx: 1 }, -1)).toEqual([-1, 1, 2, -1, 4, 5, -1, 7, 8]);
    expect(apply({ dy: -1 })).toEqual([4, 5, 6, 7, 8, 9, 0, 0, 0]);
  });

  test('bad sizes and parameters are typed errors naming them', () => {
    const at = (p: object) => () =>
      affineImage(nine, new Float32Array(9), 3, 3, { degrees: 0, scale: 1, dx: 0, dy: 0, ...p });
    expect(at({ scale: 0 })).toThrow(/scale is wrong: expected a finite number > 0, found 0/);
    expect(at({ dx: Number.NaN })).toThrow(/dx is wrong/);
    expect(at({ degrees: Number.POSITIVE_INFINITY })).toThrow(DatasetArgumentError);
    const params = { degrees: 0, scale: 1, dx: 0, dy: 0 };
    expect(() => affineImage(nine, new Float32Array(8), 3, 3, params)).toThrow(/dst is wrong/);
    expect(() => affineImage(nine, nine, 3, 3, params)).toThrow(/dst is wrong: expected an array other than src/);
    expect(() => affineImage(nine, new Float32Array(9), 3, 2.5, params)).toThrow(/height\/width is wrong/);
  });

  test('half a pixel blends neighbours bilinearly; zoom 2 about the centre', () => {
    expect(apply({ dx: 0.5 })).toEqual([0.5, 1.5, 2.5, 2, 4.5, 5.5, 3.5, 7.5, 8.5]);
    // Zoom 2 keeps the centre pixel; its neighbours come from half-way to it.
    expect(apply({ scale: 2 })).toEqual([3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7]);
  });
});

describe('randomAffine and augmentBatch', () => {
  const images = () => Float32Array.from({ length: 4 * 784 }, (_, i) => (i * 7919) % 256);
  const aug = randomAffine({ degrees: 15, shift: 2, scale: [0.9, 1.1] });

  test('identity settings leave the batch unchanged', () => {
    const x = images();
    augmentBatch(randomAffine(), x, { count: 4, height: 28, width: 28, seed: 3 });
    expect(x).toEqual(images());
  });

  test('same seed, same images; another seed, other images; draws stay in range', () => {
    const [a, b, c] = [images(), images(), images()];
    augmentBatch(aug, a, { count: 4, height: 28, width: 28, seed: 1 });
    augmentBatch(aug, b, { count: 4, height: 28, width: 28, seed: 1 });
    augmentBatch(aug, c, { count: 4, height: 28, width: 28, seed: 2 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(images());
    let next = 0.999;
    const high = aug.sample(() => next);
    next = 0;
    const low = aug.sample(() => next);
    expect(high.degrees).toBeCloseTo(14.97, 2);
    expect(low).toEqual({ degrees: -15, scale: 0.9, dx: -2, dy: -2 });
  });

  test('batch seeds differ by seed, epoch and batch', () => {
    const seeds = new Set([augmentSeed(1, 0, 0), augmentSeed(2, 0, 0), augmentSeed(1, 1, 0), augmentSeed(1, 0, 1)]);
    expect(seeds.size).toBe(4);
  });

  test.each([
    [{ degrees: -1 }, 'degrees'],
    [{ degrees: Number.NaN }, 'degrees'],
    [{ degrees: 200 }, 'degrees'],
    [{ shift: Number.NaN }, 'shift'],
    [{ shift: -2 }, 'shift'],
    [{ scale: [-1, 1] as const }, 'scale'],
    [{ scale: [1.1, 0.9] as const }, 'scale'],
    [{ scale: [0.9, Number.NaN] as const }, 'scale'],
  ])('bad option %o throws a DatasetArgumentError naming %s', (options, field) => {
    const run = () => randomAffine(options);
    expect(run).toThrow(DatasetArgumentError);
    expect(run).toThrow(new RegExp(`^<randomAffine>: ${field} is wrong`));
  });

  test('a batch of the wrong size is refused', () => {
    expect(() => augmentBatch(aug, new Float32Array(10), { count: 1, height: 28, width: 28, seed: 1 })).toThrow(
      /images is wrong: expected 1 x 28 x 28 = 784 floats, found 10/,
    );
  });
});

describe('batches with augment', () => {
  const dir = tempDir();
  let tiny: ImageSet;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    writeTinySet(dir, { train: 8, test: 2, height: 4, width: 4 });
    tiny = loadMnistSplit('train', { dir });
  });
  afterAll(() => removeDir(dir));

  const pixels = (options: { seed: number; augment?: boolean }, epoch: number) => {
    const it = batches(tiny, {
      batchSize: 4,
      seed: options.seed,
      transform: normalize(0.5, 0.5),
      ...(options.augment ? { augment: randomAffine({ degrees: 90, shift: 1 }) } : {}),
    });
    const out: number[][] = [];
    for (const b of it.epoch(epoch)) {
      out.push(Array.from(b.x.dataSync()));
      b.x.dispose();
      b.y.dispose();
    }
    return out;
  };

  test('changes the training pixels, reproducibly per (seed, epoch), and fills with the background', () => {
    const before = tf.memory().numTensors;
    const plain = pixels({ seed: 1 }, 0);
    const a = pixels({ seed: 1, augment: true }, 0);
    expect(a).not.toEqual(plain);
    expect(pixels({ seed: 1, augment: true }, 0)).toEqual(a);
    expect(pixels({ seed: 1, augment: true }, 1)).not.toEqual(pixels({ seed: 1 }, 1));
    expect(pixels({ seed: 1, augment: true }, 1)).not.toEqual(a);
    // Pixel 0 normalised with (0.5, 0.5) is -1: the smallest value, what the edges are filled with.
    expect(Math.min(...a.flat())).toBeGreaterThanOrEqual(-1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
