import { VizError } from './errors';
import type { Raster } from './png';

/** How numbers become colours in {@link toRaster}. */
export type ColorMap =
  /** Dark ink on white: min → white, max → black (digits and feature maps print well). */
  | 'ink'
  /** Blue for negative, white for 0, red for positive, symmetric about 0 (filter weights). */
  | 'diverging';

/**
 * Turns `height × width` numbers (row-major) into an RGB raster. `ink` scales min..max of the
 * values (or `range`) to white..black; `diverging` scales by the largest |value| (or
 * `range[1]`). Non-finite values are drawn in magenta so they cannot pass unnoticed.
 */
export function toRaster(
  values: ArrayLike<number>,
  height: number,
  width: number,
  map: ColorMap,
  range?: [number, number],
): Raster {
  if (values.length !== height * width) {
    throw new VizError('bad-input', `expected ${height}×${width} = ${height * width} values, got ${values.length}`);
  }
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  if (range) [lo, hi] = range;
  const data = new Uint8Array(height * width * 3);
  const bound = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let rgb: [number, number, number];
    if (!Number.isFinite(v)) rgb = [255, 0, 255];
    else if (map === 'ink') {
      const t = hi > lo ? (v - lo) / (hi - lo) : 0;
      const g = Math.round(255 * (1 - Math.min(1, Math.max(0, t))));
      rgb = [g, g, g];
    } else {
      const t = Math.max(-1, Math.min(1, v / bound));
      // White at 0 to a red (178, 24, 43) or a blue (33, 102, 172) at the extremes.
      const [r, g, b] = t >= 0 ? [178, 24, 43] : [33, 102, 172];
      const a = Math.abs(t);
      rgb = [Math.round(255 + (r - 255) * a), Math.round(255 + (g - 255) * a), Math.round(255 + (b - 255) * a)];
    }
    data.set(rgb, i * 3);
  }
  return { width, height, channels: 3, data };
}

/** An MNIST-style 8-bit image as dark ink on white (pixel value v is drawn as 255 - v). */
export function inkRaster(pixels: Uint8Array, height: number, width: number): Raster {
  if (pixels.length !== height * width) {
    throw new VizError('bad-input', `expected ${height}×${width} = ${height * width} pixels, got ${pixels.length}`);
  }
  const data = new Uint8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) data[i] = 255 - pixels[i]!;
  return { width, height, channels: 1, data };
}
