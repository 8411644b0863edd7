import type { ImageSource } from './split';
import { describeSource } from './split';
import { applyTransform, type PixelTransform, scaleTo01 } from './transforms';

/** The floats and labels of some samples, ready to become tensors. */
export interface GatheredBatch {
  /** `n * height * width` floats (NHWC with one channel). */
  x: Float32Array;
  /** `n` labels. */
  y: Int32Array;
}

/**
 * Copies the samples at `positions` (positions within the source: for a subset they go through
 * its indices) into fresh batch-sized arrays, applying `transform` to every pixel.
 */
export function gatherSamples(
  source: ImageSource,
  positions: ArrayLike<number>,
  transform: PixelTransform = scaleTo01(),
): GatheredBatch {
  const { set, indices } = describeSource(source);
  const pixels = set.height * set.width;
  const n = positions.length;
  const x = new Float32Array(n * pixels);
  const y = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    const position = positions[b]!;
    const sample = indices ? indices[position]! : position;
    const start = sample * pixels;
    applyTransform(transform, set.images.subarray(start, start + pixels), x.subarray(b * pixels, (b + 1) * pixels));
    y[b] = set.labels[sample]!;
  }
  return { x, y };
}
