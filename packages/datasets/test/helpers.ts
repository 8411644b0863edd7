import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../src/index';

/** A fresh temporary directory; remove it with `rmSync(dir, { recursive: true })`. */
export function tempDir(prefix = 'cnn-datasets-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Bytes of an IDX header followed by `payload`. */
export function idxBytes(type: number, dims: number[], payload: number[] = []): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + payload.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => {
    view.setUint32(4 + 4 * i, d, false);
  });
  out.set(payload, 4 + 4 * dims.length);
  return out;
}

export interface TinySetOptions {
  train?: number;
  test?: number;
  height?: number;
  width?: number;
  gzip?: boolean;
  numClasses?: number;
}

/** Writes a small synthetic MNIST-style set (pixel = (sample * 7 + offset) & 255, label = sample % classes). */
export function writeTinySet(dir: string, options: TinySetOptions = {}): void {
  const { train = 30, test = 12, height = 4, width = 3, gzip = false, numClasses = 10 } = options;
  const write = (name: string, bytes: Uint8Array) =>
    writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  for (const [prefix, count] of [
    ['train', train],
    ['t10k', test],
  ] as const) {
    const images = new Uint8Array(count * height * width);
    for (let i = 0; i < images.length; i++)
      images[i] = (Math.floor(i / (height * width)) * 7 + (i % (height * width))) & 255;
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) labels[i] = i % numClasses;
    write(`${prefix}-images-idx3-ubyte`, encodeIdx({ data: images, shape: [count, height, width] }));
    write(`${prefix}-labels-idx1-ubyte`, encodeIdx({ data: labels, shape: [count] }));
  }
}
