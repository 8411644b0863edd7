import { describe, expect, it } from 'vitest';
import { inkBox, mnistify, toInk } from '../src/index';
import { testDigits } from './model-fixture';

/** Centre of mass (x, y) of a 28×28 image in pixel indices. */
function centreOfMass(p: Float32Array): [number, number] {
  let m = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < 784; i++) {
    const v = p[i] as number;
    m += v;
    x += v * (i % 28);
    y += v * Math.floor(i / 28);
  }
  return [x / m, y / m];
}

describe('mnistify', () => {
  it('crops a 20 × 40 block of ink, fits it into 10 × 20 and centres it by mass', () => {
    const w = 100;
    const h = 50;
    const ink = new Float32Array(w * h);
    for (let y = 5; y < 45; y++) for (let x = 10; x < 30; x++) ink[y * w + x] = 1;
    const { pixels, box } = mnistify(ink, w, h);
    expect(box).toEqual({ x: 10, y: 5, width: 20, height: 40 });
    const out = inkBox(pixels, 28, 28);
    expect(out).toEqual({ x: 10, y: 5, width: 10, height: 20 });
    const [cx, cy] = centreOfMass(pixels);
    expect(Math.abs(cx - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(cy - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.max(...pixels)).toBe(1);
  });

  it('gives 784 zeros and no box for a picture without ink', () => {
    const { pixels, box } = mnistify(new Float32Array(50 * 50).fill(0.05), 50, 50);
    expect(box).toBeNull();
    expect(pixels.every((v) => v === 0)).toBe(true);
  });

  it('leaves an MNIST digit (already cropped, fitted and centred) almost as it was', () => {
    const { images } = testDigits(10);
    for (const img of images) {
      const original = Float32Array.from(img, (v) => v / 255);
      const { pixels } = mnistify(original, 28, 28);
      let dot = 0;
      let a = 0;
      let b = 0;
      for (let i = 0; i < 784; i++) {
        dot += (original[i] as number) * (pixels[i] as number);
        a += (original[i] as number) ** 2;
        b += (pixels[i] as number) ** 2;
      }
      expect(dot / Math.sqrt(a * b)).toBeGreaterThan(0.95);
    }
  });
});

describe('toInk', () => {
  it('inverts dark ink on a light background and keeps light ink on a dark one', () => {
    const light = Float32Array.from([1, 1, 1, 1, 0, 1, 1, 1, 1]);
    const a = toInk(light, 3, 3);
    expect(a.inverted).toBe(true);
    expect(Array.from(a.ink)).toEqual([0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const dark = Float32Array.from([0, 0, 0, 0, 0.75, 0, 0, 0, 0]);
    const b = toInk(dark, 3, 3);
    expect(b.inverted).toBe(false);
    expect(Array.from(b.ink)).toEqual(Array.from(dark));
  });
});
