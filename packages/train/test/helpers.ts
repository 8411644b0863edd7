import { type BatchOptions, batches, type ImageSet, normalize, subset } from '@cnn/datasets';
import { mulberry32 } from '@cnn/testing';

/** A tiny classifier for 8x8 single-channel images into 3 classes (fast on every backend). */
export async function tinyModel(withDropout = false) {
  const { Conv2d, Dropout, Flatten, Linear, ReLU, Sequential } = await import('@cnn/layers');
  const layers = [new Conv2d(1, 2, 3, { stride: 2 }), new ReLU(), new Flatten()];
  if (withDropout) layers.push(new Dropout(0.25));
  return new Sequential(...layers, new Linear(18, 3));
}

/**
 * `n` synthetic 8x8 images whose class (0..2) is which third of the columns is bright, with
 * seeded noise, so it is learnable and identical everywhere. Pixels are uint8 like MNIST's
 * (dark about 25, bright about 230, noise within ±25), so `@cnn/datasets`' `batches` serves them.
 */
export function synthetic(n: number, seed = 1): ImageSet {
  const next = mulberry32(seed);
  const images = new Uint8Array(n * 64);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(next() * 3);
    labels[i] = c;
    for (let p = 0; p < 64; p++) {
      const bright = Math.floor(((p % 8) * 3) / 8) === c ? 1 : 0;
      images[i * 64 + p] = Math.round(25 + 205 * bright + (next() - 0.5) * 50);
    }
  }
  const name = `<synthetic ${n} seed ${seed}>`;
  return { split: 'train', images, labels, count: n, height: 8, width: 8, imagesFile: name, labelsFile: name };
}

/** The first `n` samples of a set, as a subset (no pixel copy). */
export function head(set: ImageSet, n: number) {
  return subset(
    set,
    Uint32Array.from({ length: n }, (_, i) => i),
  );
}

/**
 * `@cnn/datasets`' `batches` over a synthetic set, pixels mapped to [-1, 1] (the (0.5, 0.5)
 * normalisation). The order of epoch `e` depends only on (seed, e), as resuming needs.
 */
export function syntheticBatches(set: ImageSet | ReturnType<typeof head>, options: Omit<BatchOptions, 'transform'>) {
  return batches(set, { ...options, transform: normalize(0.5, 0.5) });
}
