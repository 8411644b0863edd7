import { convertIndexedToRgb, decode as decodePng } from 'fast-png';
import jpeg from 'jpeg-js';
import { mnistify, toInk } from '../public/mnistify.js';
import { RequestError } from './errors';
import { type ImageKind, imageSize } from './image-header';

/** Limits on uploaded images. */
export interface ImageLimits {
  /** Largest width or height accepted (default 4096). */
  maxSide: number;
  /** Largest width × height accepted (default 16 000 000). */
  maxPixels: number;
}

export const DEFAULT_IMAGE_LIMITS: ImageLimits = { maxSide: 4096, maxPixels: 16_000_000 };

/** A decoded picture: `width × height` values in [0, 1], row-major, 1 = white. */
export interface GrayImage {
  width: number;
  height: number;
  gray: Float32Array;
}

/**
 * Decodes a PNG (any bit depth, palette, alpha) or baseline/progressive JPEG to grayscale in [0, 1]
 * (ITU-R 601 luma; transparent pixels are composited over white). The size is read from the
 * header first and refused (413 `image-too-large`) above `limits`; an empty body is 400
 * `empty-image`, a body that does not decode 400 `corrupt-image`.
 */
export function decodeImage(bytes: Uint8Array, kind: ImageKind, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): GrayImage {
  if (bytes.length === 0) throw new RequestError(400, 'empty-image', `the ${kind.toUpperCase()} body is empty`);
  const { width, height } = imageSize(bytes, kind);
  if (width === 0 || height === 0) {
    throw new RequestError(400, 'corrupt-image', `the image header says ${width}×${height} pixels`);
  }
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new RequestError(
      413,
      'image-too-large',
      `the image is ${width}×${height} pixels; at most ${limits.maxSide} per side and ${limits.maxPixels} in all are accepted`,
    );
  }
  try {
    return kind === 'png' ? pngToGray(bytes) : jpegToGray(bytes, limits);
  } catch (err) {
    if (err instanceof RequestError) throw err;
    throw new RequestError(
      400,
      'corrupt-image',
      `the ${kind.toUpperCase()} image does not decode: ${(err as Error).message}`,
    );
  }
}

function pngToGray(bytes: Uint8Array): GrayImage {
  const png = decodePng(bytes);
  let data = png.data;
  let channels = png.channels;
  let max = 2 ** png.depth - 1;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = png.palette[0]?.length ?? 3;
    max = 255;
  }
  const { width, height } = png;
  if (data.length < width * height * channels) throw new Error(`pixel data is shorter than ${width}×${height}`);
  const gray = new Float32Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const p = i * channels;
    const c = (k: number) => (data[p + k] as number) / max;
    const hasAlpha = channels === 2 || channels === 4;
    const luma = channels >= 3 ? 0.299 * c(0) + 0.587 * c(1) + 0.114 * c(2) : c(0);
    const alpha = hasAlpha ? c(channels - 1) : 1;
    gray[i] = luma * alpha + (1 - alpha);
  }
  return { width, height, gray };
}

function jpegToGray(bytes: Uint8Array, limits: ImageLimits): GrayImage {
  const img = jpeg.decode(bytes, {
    useTArray: true,
    formatAsRGBA: true,
    maxResolutionInMP: limits.maxPixels / 1e6,
    maxMemoryUsageInMB: 512,
  });
  const gray = new Float32Array(img.width * img.height);
  for (let i = 0; i < gray.length; i++) {
    const p = i * 4;
    gray[i] =
      (0.299 * (img.data[p] as number) + 0.587 * (img.data[p + 1] as number) + 0.114 * (img.data[p + 2] as number)) /
      255;
  }
  return { width: img.width, height: img.height, gray };
}

/** The preprocessed model input of a decoded picture and what was done to it. */
export interface PreparedImage {
  /** 784 values in [0, 1], 28×28 row-major, white ink on black. */
  pixels: Float32Array;
  /** Whether the picture was inverted (dark ink on a light background). */
  inverted: boolean;
  /** The ink's bounding box in the original picture, or null when there was no ink. */
  box: { x: number; y: number; width: number; height: number } | null;
}

/** Grayscale picture → MNIST input: invert if the background is light, crop, fit 20×20, centre by mass in 28×28. */
export function prepareImage(image: GrayImage): PreparedImage {
  const { ink, inverted } = toInk(image.gray, image.width, image.height);
  const { pixels, box } = mnistify(ink, image.width, image.height);
  return { pixels, inverted, box };
}
