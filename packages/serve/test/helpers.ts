import { deflateSync } from 'node:zlib';
import { encode as encodePng } from 'fast-png';
import { expect } from 'vitest';

/** A parsed JSON answer; tests read it field by field, and a wrong shape fails their assertions. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type Answer = any;

/** POSTs `body` with `type` and returns the status, headers and parsed JSON answer. */
export async function post(
  url: string,
  body: string | Uint8Array,
  type = 'application/json',
): Promise<{ status: number; headers: Headers; json: Answer }> {
  const payload = typeof body === 'string' ? body : new Uint8Array(body); // a copy on its own ArrayBuffer
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: payload });
  const text = await res.text();
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : null };
}

/** POSTs `value` as JSON. */
export function postJson(url: string, value: unknown) {
  return post(url, JSON.stringify(value));
}

/**
 * A `width × height` picture of the 28×28 `digit` (bytes, white on black) scaled by nearest
 * neighbour into a box at (`x`, `y`) of side `side`, as RGBA bytes; `dark` paints dark ink on
 * a white background instead.
 */
export function digitPicture(
  digit: Uint8Array,
  opts: { width: number; height: number; x: number; y: number; side: number; dark: boolean },
): Uint8Array {
  const out = new Uint8Array(opts.width * opts.height * 4);
  for (let y = 0; y < opts.height; y++) {
    for (let x = 0; x < opts.width; x++) {
      const sx = Math.floor(((x - opts.x) * 28) / opts.side);
      const sy = Math.floor(((y - opts.y) * 28) / opts.side);
      const inside = sx >= 0 && sx < 28 && sy >= 0 && sy < 28;
      const ink = inside ? (digit[sy * 28 + sx] as number) : 0;
      const v = opts.dark ? 255 - ink : ink;
      out.set([v, v, v, 255], (y * opts.width + x) * 4);
    }
  }
  return out;
}

/** A PNG of RGBA bytes. */
export function rgbaPng(data: Uint8Array, width: number, height: number): Uint8Array {
  return encodePng({ width, height, data, channels: 4, depth: 8 });
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A real, valid grayscale PNG of `side × side` black pixels: small on the wire (deflate
 * packs the zeros ~1000:1) and `side²` bytes once inflated, a decompression bomb for large sides.
 */
export function blackPng(side: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale, deflate, adaptive filter, no interlace
  const raw = Buffer.alloc(side * (side + 1)); // each row: filter byte 0, then the pixels
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Two probability lists agree to 1e-5 (a batch of one and a batch of many may round differently). */
export function expectClose(a: number[], b: number[]): void {
  expect(a).toHaveLength(b.length);
  for (const [i, v] of a.entries()) expect(Math.abs(v - (b[i] as number))).toBeLessThan(1e-5);
}
