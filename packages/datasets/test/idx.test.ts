import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { encodeIdx, IDX_TYPES, type IdxData, isGzip, parseIdx, readIdx, readIdxHeader, writeIdx } from '../src/index';
import { idxBytes, removeDir, tempDir } from './helpers';

const dir = tempDir();
afterAll(() => removeDir(dir));

const samples: Record<string, IdxData> = {
  uint8: new Uint8Array([0, 1, 127, 128, 255, 42]),
  int8: new Int8Array([-128, -1, 0, 1, 127, 5]),
  int16: new Int16Array([-32768, -2, 0, 258, 32767, 1000]),
  int32: new Int32Array([-2147483648, -70000, 0, 16909060, 2147483647, 7]),
  float32: new Float32Array([-1.5, 0, 3.25, Number.POSITIVE_INFINITY, -0, 1e-30]),
  float64: new Float64Array([Math.PI, -Math.E, 0, 1e300, Number.NEGATIVE_INFINITY, 5e-324]),
};

describe('IDX round trip', () => {
  for (const info of IDX_TYPES) {
    test(`${info.name} (type byte 0x${info.code.toString(16)}) survives encode/parse with shape [2, 3]`, () => {
      const data = samples[info.name]!;
      const bytes = encodeIdx({ data, shape: [2, 3] });
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0, 0, info.code, 2]);
      expect(bytes.length).toBe(12 + 6 * info.bytes);
      const parsed = parseIdx(bytes);
      expect(parsed.type).toBe(info.name);
      expect(parsed.shape).toEqual([2, 3]);
      expect(parsed.data).toBeInstanceOf(info.array);
      expect(Array.from(parsed.data)).toEqual(Array.from(data));
    });
  }

  test('float32 NaN and float64 NaN survive', () => {
    const f32 = parseIdx(encodeIdx({ data: new Float32Array([Number.NaN, 1]), shape: [2] }));
    const f64 = parseIdx(encodeIdx({ data: new Float64Array([1, Number.NaN]), shape: [2] }));
    expect(Number.isNaN(f32.data[0])).toBe(true);
    expect(Number.isNaN(f64.data[1])).toBe(true);
  });

  test('zero dimensions is a scalar; a zero dimension is an empty array', () => {
    const scalar = parseIdx(encodeIdx({ data: new Int32Array([-9]), shape: [] }));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data)).toEqual([-9]);
    const empty = parseIdx(encodeIdx({ data: new Float64Array(0), shape: [3, 0, 2] }));
    expect(empty.shape).toEqual([3, 0, 2]);
    expect(empty.data.length).toBe(0);
  });

  test('a 4-d int16 array round-trips through a gzipped file', () => {
    const data = new Int16Array(2 * 3 * 4 * 5).map((_, i) => ((i * 997) % 65536) - 32768);
    const path = join(dir, 'block.idx.gz');
    writeIdx(path, { data, shape: [2, 3, 4, 5] });
    expect(isGzip(readFileSync(path))).toBe(true);
    const back = readIdx(path);
    expect(back.shape).toEqual([2, 3, 4, 5]);
    expect(back.data).toEqual(data);
  });
});

describe('IDX decoding details', () => {
  test('multi-byte values are big-endian in the file', () => {
    expect(Array.from(parseIdx(idxBytes(0x0b, [2], [0x01, 0x02, 0xff, 0xfe])).data)).toEqual([258, -2]);
    expect(Array.from(parseIdx(idxBytes(0x0c, [1], [0x01, 0x02, 0x03, 0x04])).data)).toEqual([16909060]);
    expect(Array.from(parseIdx(idxBytes(0x0d, [1], [0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(parseIdx(idxBytes(0x0e, [1], [0xc0, 0x09, 0x21, 0xfb, 0x54, 0x44, 0x2d, 0x18])).data)).toEqual([
      -Math.PI,
    ]);
    const encoded = encodeIdx({ data: new Int32Array([16909060]), shape: [1] });
    expect(Array.from(encoded.subarray(8))).toEqual([1, 2, 3, 4]);
  });

  test('readIdxHeader reports what a header declares', () => {
    const header = readIdxHeader(encodeIdx({ data: new Float64Array(6), shape: [1, 2, 3] }));
    expect(header.info.name).toBe('float64');
    expect(header.shape).toEqual([1, 2, 3]);
    expect([header.count, header.headerLength, header.payloadLength]).toEqual([6, 16, 48]);
  });

  test('uint8 and int8 payloads are views on the input, not copies', () => {
    const bytes = idxBytes(0x08, [2, 2], [1, 2, 3, 4]);
    const parsed = parseIdx(bytes);
    expect(parsed.data.buffer).toBe(bytes.buffer);
    expect(parsed.data.byteOffset).toBe(12);
    bytes[12] = 99;
    expect(parsed.data[0]).toBe(99);
    const signed = parseIdx(idxBytes(0x09, [3], [0xff, 0x80, 0x7f]));
    expect(Array.from(signed.data)).toEqual([-1, -128, 127]);
  });

  test('works on a subarray of a larger buffer (odd offset) for every type', () => {
    for (const info of IDX_TYPES) {
      const inner = encodeIdx({ data: samples[info.name]!, shape: [6] });
      const outer = new Uint8Array(inner.length + 3);
      outer.set(inner, 1);
      const parsed = parseIdx(outer.subarray(1, 1 + inner.length));
      expect(Array.from(parsed.data)).toEqual(Array.from(samples[info.name]!));
    }
  });

  test('gzip is detected by its magic bytes, whatever the file name', () => {
    const raw = encodeIdx({ data: new Uint8Array([5, 6, 7]), shape: [3] });
    const path = join(dir, 'no-extension');
    writeFileSync(path, gzipSync(raw));
    expect(Array.from(readIdx(path).data)).toEqual([5, 6, 7]);
    const rawPath = join(dir, 'raw.gz');
    writeIdx(rawPath, { data: new Uint8Array([8]), shape: [1] }, { gzip: false });
    expect(isGzip(readFileSync(rawPath))).toBe(false);
    expect(Array.from(readIdx(rawPath).data)).toEqual([8]);
  });
});
