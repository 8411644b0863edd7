import { DatasetArgumentError } from './errors';
import { mixSeed, seededRandom } from './seeded';

/** How far {@link randomAffine} may move each image; every field defaults to "not at all". */
export interface RandomAffineOptions {
  /** Largest rotation in degrees, either way: the angle is uniform in [-degrees, degrees] (0..180, default 0). */
  degrees?: number;
  /** Largest shift in pixels, each axis on its own, either way: uniform in [-shift, shift] (>= 0, default 0). */
  shift?: number;
  /** Zoom factor range `[min, max]`, uniform, both > 0 (default `[1, 1]`); 1.1 draws the digit 10% larger. */
  scale?: readonly [number, number];
}

/** One image's transform: rotate by `degrees` (counter-clockwise as seen), zoom by `scale`, then move by (dx, dy) pixels. */
export interface AffineParams {
  degrees: number;
  scale: number;
  /** Rightwards. */
  dx: number;
  /** Downwards. */
  dy: number;
}

/** A validated random affine augmentation (from {@link randomAffine}). */
export interface Augmentation {
  readonly name: string;
  readonly degrees: number;
  readonly shift: number;
  readonly scale: readonly [number, number];
  /** Draws one image's transform from `random` (floats in [0, 1)). */
  sample(random: () => number): AffineParams;
}

function invalid(field: string, expected: string, found: unknown): DatasetArgumentError {
  return new DatasetArgumentError({
    code: 'invalid-argument',
    file: '<randomAffine>',
    field,
    expected,
    found: Array.isArray(found) ? `[${found.join(', ')}]` : String(found),
  });
}

/**
 * Validates the options of a random affine augmentation: each training image gets its own
 * rotation, zoom and shift, drawn uniformly from the given ranges. Throws
 * `DatasetArgumentError` naming the option (`degrees`, `shift`, `scale`) for a negative, NaN or
 * otherwise unusable value.
 */
export function randomAffine(options: RandomAffineOptions = {}): Augmentation {
  const degrees = options.degrees ?? 0;
  const shift = options.shift ?? 0;
  const scale = options.scale ?? [1, 1];
  if (typeof degrees !== 'number' || !(degrees >= 0 && degrees <= 180))
    throw invalid('degrees', 'a number of degrees in 0..180', degrees);
  if (typeof shift !== 'number' || !(shift >= 0 && Number.isFinite(shift)))
    throw invalid('shift', 'a finite number of pixels >= 0', shift);
  const [lo, hi] = Array.isArray(scale) ? scale : [Number.NaN, Number.NaN];
  if (!Array.isArray(scale) || scale.length !== 2 || !(lo > 0 && hi >= lo && Number.isFinite(hi)))
    throw invalid('scale', 'a range [min, max] with 0 < min <= max, finite', scale);
  return Object.freeze({
    name: `randomAffine(degrees ${degrees}, shift ${shift}, scale ${lo}..${hi})`,
    degrees,
    shift,
    scale: Object.freeze([lo, hi] as const),
    sample: (random: () => number): AffineParams => ({
      degrees: (2 * random() - 1) * degrees,
      scale: lo + random() * (hi - lo),
      dx: (2 * random() - 1) * shift,
      dy: (2 * random() - 1) * shift,
    }),
  });
}

// Sines and cosines within 1e-12 of -1, 0 or 1 are taken as exact: rotations by multiples of 90
// degrees then copy pixels exactly instead of blending them with 1e-17 weights.
const exact = (v: number) => {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-12 ? r : v;
};

function checkImage(src: Float32Array, dst: Float32Array, height: number, width: number, p: AffineParams): void {
  const pixels = height * width;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height < 1 || width < 1)
    throw invalid('height/width', 'whole numbers >= 1', `${height} x ${width}`);
  if (src.length !== pixels) throw invalid('src', `${height} x ${width} = ${pixels} floats`, src.length);
  if (dst.length !== pixels) throw invalid('dst', `${height} x ${width} = ${pixels} floats`, dst.length);
  if (dst.buffer === src.buffer && dst.byteOffset === src.byteOffset)
    throw invalid('dst', 'an array other than src', 'src');
  if (!(p.scale > 0 && Number.isFinite(p.scale))) throw invalid('scale', 'a finite number > 0', p.scale);
  for (const key of ['degrees', 'dx', 'dy'] as const)
    if (!Number.isFinite(p[key])) throw invalid(key, 'a finite number', p[key]);
}

/**
 * Writes the transformed `height x width` image `src` into `dst` (same size, not the same
 * array): every output pixel is the bilinear blend of the four input pixels around where it came
 * from, `fill` for those outside the image. Rotation and zoom are about the image centre.
 */
export function affineImage(
  src: Float32Array,
  dst: Float32Array,
  height: number,
  width: number,
  params: AffineParams,
  fill = 0,
): Float32Array {
  checkImage(src, dst, height, width, params);
  const theta = (params.degrees * Math.PI) / 180;
  const cos = exact(Math.cos(theta)) / params.scale;
  const sin = exact(Math.sin(theta)) / params.scale;
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  for (let v = 0; v < height; v++) {
    const ry = v - cy - params.dy;
    for (let u = 0; u < width; u++) {
      // The inverse map: output (u, v) samples the input at (x, y).
      const rx = u - cx - params.dx;
      const x = cx + cos * rx - sin * ry;
      const y = cy + sin * rx + cos * ry;
      const x0 = Math.floor(x);
      const y0 = Math.floor(y);
      const fx = x - x0;
      const fy = y - y0;
      const inX0 = x0 >= 0 && x0 < width;
      const inX1 = x0 + 1 >= 0 && x0 + 1 < width;
      const inY0 = y0 >= 0 && y0 < height;
      const inY1 = y0 + 1 >= 0 && y0 + 1 < height;
      const row0 = y0 * width;
      const row1 = row0 + width;
      const p00 = inY0 && inX0 ? src[row0 + x0]! : fill;
      const p01 = inY0 && inX1 ? src[row0 + x0 + 1]! : fill;
      const p10 = inY1 && inX0 ? src[row1 + x0]! : fill;
      const p11 = inY1 && inX1 ? src[row1 + x0 + 1]! : fill;
      // Zero weights are skipped rather than multiplied, so exact positions copy exactly.
      const top = fx === 0 ? p00 : p00 + (p01 - p00) * fx;
      const bottom = fx === 0 ? p10 : p10 + (p11 - p10) * fx;
      dst[v * width + u] = fy === 0 ? top : top + (bottom - top) * fy;
    }
  }
  return dst;
}

/** Where a batch's images and how to draw their transforms. */
export interface AugmentBatchOptions {
  count: number;
  height: number;
  width: number;
  /** Seed of this batch's transforms (see {@link augmentSeed}). */
  seed: number;
  /** The value outside the image: the background after the pixel transform (0 for raw pixels). */
  fill?: number;
}

/** The seed of the transforms of batch `index` of epoch `epoch`, so a resumed run redraws the same ones. */
export function augmentSeed(seed: number, epoch: number, index: number): number {
  // Mixed with a constant so that it differs from the seed of the epoch's shuffle.
  return mixSeed(mixSeed(seed ^ 0x6a09e667, epoch), index);
}

/**
 * Transforms the `count` images of `images` (`count * height * width` floats) in place, each by
 * its own transform drawn from `augmentation` with a generator seeded by `seed`.
 */
export function augmentBatch(augmentation: Augmentation, images: Float32Array, options: AugmentBatchOptions): void {
  const { count, height, width } = options;
  const pixels = height * width;
  if (images.length !== count * pixels)
    throw invalid('images', `${count} x ${height} x ${width} = ${count * pixels} floats`, images.length);
  const random = seededRandom(options.seed);
  const copy = new Float32Array(pixels);
  for (let i = 0; i < count; i++) {
    const image = images.subarray(i * pixels, (i + 1) * pixels);
    copy.set(image);
    affineImage(copy, image, height, width, augmentation.sample(random), options.fill ?? 0);
  }
}
