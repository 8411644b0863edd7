import { decode, encode } from 'fast-png';
import { VizError } from './errors';

/** Pixels in memory: `channels` bytes per pixel (1 gray, 3 RGB, 4 RGBA), row by row, top first. */
export interface Raster {
  width: number;
  height: number;
  channels: 1 | 3 | 4;
  data: Uint8Array;
}

/** Encodes a raster as PNG bytes (8 bits per channel). */
export function encodePng(raster: Raster): Uint8Array {
  const { width, height, channels, data } = raster;
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new VizError('bad-input', `PNG size must be positive whole numbers, got ${width}×${height}`);
  }
  if (data.length !== width * height * channels) {
    throw new VizError(
      'bad-input',
      `PNG data has ${data.length} bytes, expected ${width}×${height}×${channels} = ${width * height * channels}`,
    );
  }
  return encode({ width, height, channels, depth: 8, data });
}

/** Decodes PNG bytes to a raster (8-bit PNGs; palette images are not expanded). */
export function decodePng(bytes: Uint8Array): Raster {
  const image = decode(bytes);
  if (image.depth !== 8 || image.palette) {
    throw new VizError('bad-input', `only 8-bit gray/RGB(A) PNGs are read back, this one has depth ${image.depth}`);
  }
  const channels = image.channels as 1 | 2 | 3 | 4;
  if (channels === 2) throw new VizError('bad-input', 'gray+alpha PNGs are not read back');
  return { width: image.width, height: image.height, channels, data: image.data as Uint8Array };
}

/** `data:image/png;base64,...` for embedding a PNG in SVG or HTML. */
export function pngDataUri(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}
