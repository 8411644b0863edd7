import { DatasetArgumentError } from './errors';

/**
 * A per-pixel map from uint8 to float32, stored as a 256-entry lookup table so applying it
 * costs one table read per pixel.
 */
export interface PixelTransform {
  readonly name: string;
  readonly lut: Float32Array;
}

/** Mean and standard deviation of MNIST pixels scaled to [0, 1] (used by the PyTorch tutorials). */
export const MNIST_MEAN_STD = { mean: 0.1307, std: 0.3081 } as const;

/** The (0.5, 0.5) normalisation that maps [0, 1] to [-1, 1]. */
export const HALF_MEAN_STD = { mean: 0.5, std: 0.5 } as const;

function fromFunction(name: string, f: (pixel: number) => number): PixelTransform {
  const lut = new Float32Array(256);
  for (let p = 0; p < 256; p++) lut[p] = f(p);
  return { name, lut };
}

/** Pixels as floats, unchanged (0..255). */
export function rawPixels(): PixelTransform {
  return fromFunction('raw', (p) => p);
}

/** `pixel / 255`, to [0, 1] (what `ToTensor()` does). */
export function scaleTo01(): PixelTransform {
  return fromFunction('scale[0,1]', (p) => p / 255);
}

/** `(pixel / 255 - mean) / std` (what `ToTensor()` followed by `Normalize((mean,), (std,))` does). */
export function normalize(mean: number, std: number): PixelTransform {
  if (!Number.isFinite(mean) || !Number.isFinite(std) || std <= 0) {
    throw new DatasetArgumentError({
      code: 'invalid-argument',
      file: '<normalize>',
      field: 'mean/std',
      expected: 'a finite mean and a finite std > 0',
      found: `mean ${mean}, std ${std}`,
    });
  }
  return fromFunction(`normalize(${mean}, ${std})`, (p) => (p / 255 - mean) / std);
}

/** Applies a transform to `pixels`, writing into `out` (allocated when omitted). */
export function applyTransform(transform: PixelTransform, pixels: Uint8Array, out?: Float32Array): Float32Array {
  const target = out ?? new Float32Array(pixels.length);
  const lut = transform.lut;
  for (let i = 0; i < pixels.length; i++) target[i] = lut[pixels[i]!]!;
  return target;
}
