import { constants as bufferConstants } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import {
  DatasetArgumentError,
  encodeIdx,
  gunzipPrefix,
  IdxFormatError,
  MAX_IDX_BYTES,
  PREFIX_OUTPUT_CAP,
  parseIdx,
  readIdx,
  writeIdx,
} from '../src/index';
import { caught } from '@cnn/testing';
import { idxBytes, removeDir, tempDir } from './helpers';

const dir = tempDir();
afterAll(() => removeDir(dir));

const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/**
 * Rewrites a plain `gzipSync` stream (10-byte header, no optional fields) so that its header carries
 * the given optional fields (RFC 1952 §2.3). The trailer CRC covers the inflated data, so it stays valid.
 */
function withHeaderFields(gz: Uint8Array, fields: { extra?: number; name?: number; comment?: number }): Uint8Array {
  const parts: number[][] = [];
  let flags = gz[3]!;
  if (fields.extra !== undefined) {
    flags |= FEXTRA;
    parts.push([fields.extra & 0xff, fields.extra >> 8, ...Array.from({ length: fields.extra }, (_, i) => i & 0xff)]);
  }
  if (fields.name !== undefined) {
    flags |= FNAME;
    parts.push([...Array.from({ length: fields.name }, (_, i) => 0x61 + (i % 26)), 0]);
  }
  if (fields.comment !== undefined) {
    flags |= FCOMMENT;
    parts.push([...Array.from({ length: fields.comment }, () => 0x20), 0]);
  }
  const head = Uint8Array.from(gz.subarray(0, 10));
  head[3] = flags;
  return Uint8Array.from([...head, ...parts.flat(), ...gz.subarray(10)]);
}

/** An IDX header for 3 uint8 values followed by `extra` zero bytes: it inflates past its declared size. */
function oversized(extra: number): Uint8Array {
  const bytes = new Uint8Array(11 + extra);
  bytes.set(idxBytes(0x08, [3], [1, 2, 3]));
  return bytes;
}

describe('gzip streams with long header fields', () => {
  test('a 4 KB file name does not lift the size cap', () => {
    const gz = withHeaderFields(gzipSync(oversized(30_000_000)), { name: 4096 });
    expect(gz.length).toBeGreaterThan(4096);
    const e = caught(IdxFormatError, () => parseIdx(gz, 'named.gz'));
    expect(e.code).toBe('trailing-bytes');
    expect(e.field).toBe('decompressed length');
    expect(e.expected).toBe('11 bytes (header + payload)');
  });

  test('long FEXTRA and FCOMMENT fields do not lift the size cap either', () => {
    const gz = withHeaderFields(gzipSync(oversized(20_000_000)), { extra: 60_000, comment: 5000 });
    const e = caught(IdxFormatError, () => parseIdx(gz, 'extra.gz'));
    expect(e.code).toBe('trailing-bytes');
    expect(e.field).toBe('decompressed length');
  });

  test('a valid file with every long header field still decodes', () => {
    const data = Float32Array.from({ length: 600 }, (_, i) => i * 0.5 - 7);
    const gz = withHeaderFields(gzipSync(encodeIdx({ data, shape: [20, 30] })), {
      extra: 3000,
      name: 9000,
      comment: 3000,
    });
    const parsed = parseIdx(gz, 'fields.gz');
    expect(parsed.type).toBe('float32');
    expect(parsed.shape).toEqual([20, 30]);
    expect(Array.from(parsed.data)).toEqual(Array.from(data));
  });

  test('a header after thousands of empty deflate blocks is still found before inflating the rest', () => {
    // Each empty non-final stored block is 5 bytes (00, LEN 0000, NLEN FFFF) and inflates to nothing.
    const empty = Array.from({ length: 4000 }, () => [0, 0, 0, 0xff, 0xff]).flat();
    const gz = gzipSync(oversized(20_000_000));
    const body = deflateRawSync(oversized(20_000_000));
    const padded = Uint8Array.from([...gz.subarray(0, 10), ...empty, ...body, ...gz.subarray(gz.length - 8)]);
    const e = caught(IdxFormatError, () => parseIdx(padded, 'blocks.gz'));
    expect(e.code).toBe('trailing-bytes');
    expect(e.field).toBe('decompressed length');
    // The same padding in front of a correct file is harmless.
    const good = encodeIdx({ data: new Uint8Array([9, 8, 7, 6]), shape: [2, 2] });
    const goodGz = gzipSync(good);
    const goodPadded = Uint8Array.from([
      ...goodGz.subarray(0, 10),
      ...empty,
      ...deflateRawSync(good),
      ...goodGz.subarray(goodGz.length - 8),
    ]);
    expect(Array.from(parseIdx(goodPadded).data)).toEqual([9, 8, 7, 6]);
  });

  test('a stream that ends inside its long file name is corrupt gzip', () => {
    const gz = withHeaderFields(gzipSync(encodeIdx({ data: new Uint8Array(3), shape: [3] })), { name: 5000 });
    const e = caught(IdxFormatError, () => parseIdx(gz.subarray(0, 3000), 'cut.gz'));
    expect(e.code).toBe('corrupt-gzip');
    expect(e.found).toContain('unexpected end of file');
  });
});

describe('gunzipPrefix', () => {
  test('stops at the first slice that holds the wanted length, never inflating past the cap', () => {
    const zeros = gzipSync(new Uint8Array(50_000_000));
    const prefix = gunzipPrefix(zeros, 'zeros.gz', 1000);
    expect(prefix.length).toBeGreaterThanOrEqual(1000);
    expect(prefix.length).toBeLessThanOrEqual(PREFIX_OUTPUT_CAP);
    expect(prefix.every((b) => b === 0)).toBe(true);
    // A stream shorter than wanted comes back whole.
    expect(Array.from(gunzipPrefix(gzipSync(new Uint8Array([4, 5])), 'two.gz', 10))).toEqual([4, 5]);
  });

  test('wanting more than one slice may inflate is a DatasetArgumentError', () => {
    const zeros = gzipSync(new Uint8Array(50_000_000));
    const e = caught(DatasetArgumentError, () => gunzipPrefix(zeros, 'zeros.gz', PREFIX_OUTPUT_CAP + 1));
    expect(e.field).toBe('minLength');
    expect(e.found).toBe(`${PREFIX_OUTPUT_CAP + 1} bytes wanted, more than one slice can inflate to`);
  });
});

describe('payloads larger than a buffer can hold', () => {
  const tooBig = idxBytes(0x0e, [65535, 65535]);
  const declared = 12 + 65535 * 65535 * 8;

  test('MAX_IDX_BYTES leaves room for the one-byte inflate margin', () => {
    expect(MAX_IDX_BYTES).toBe(bufferConstants.MAX_LENGTH - 1);
  });

  test('gzipped float64 [65535, 65535] is a dimension overflow, not a zlib range error', () => {
    const e = caught(IdxFormatError, () => parseIdx(gzipSync(tooBig), 'big.gz'));
    expect(e.code).toBe('dimension-overflow');
    expect(e.field).toBe('dimensions');
    expect(e.expected).toBe(`at most ${MAX_IDX_BYTES} bytes of header + payload`);
    expect(e.found).toBe(`${declared} bytes ([65535, 65535] × 8-byte float64 + 12-byte header)`);
  });

  test('the same header in a raw file is the same error', () => {
    const e = caught(IdxFormatError, () => parseIdx(tooBig, 'big.idx'));
    expect(e.code).toBe('dimension-overflow');
    expect(e.file).toBe('big.idx');
    expect(e.found).toBe(`${declared} bytes ([65535, 65535] × 8-byte float64 + 12-byte header)`);
  });

  test('the largest holdable size is accepted by the header check, one byte more is not', () => {
    // uint8 with dims [MAX_IDX_BYTES - 8] has header 8 bytes: exactly MAX_IDX_BYTES in total.
    const atLimit = idxBytes(0x08, [MAX_IDX_BYTES - 8]);
    expect(caught(IdxFormatError, () => parseIdx(atLimit)).code).toBe('truncated-payload');
    const over = idxBytes(0x08, [MAX_IDX_BYTES - 7]);
    const e = caught(IdxFormatError, () => parseIdx(over));
    expect(e.code).toBe('dimension-overflow');
    expect(e.found).toBe(`${MAX_IDX_BYTES + 1} bytes ([${MAX_IDX_BYTES - 7}] × 1-byte uint8 + 8-byte header)`);
  });
});

describe('writeIdx gzip level', () => {
  test.each([12, -1, 10, 2.5, Number.NaN])('level %s is a DatasetArgumentError', (level) => {
    const path = join(dir, 'level.idx.gz');
    const e = caught(DatasetArgumentError, () => writeIdx(path, { data: new Uint8Array([1]), shape: [1] }, { level }));
    expect(e.code).toBe('invalid-argument');
    expect(e.file).toBe(path);
    expect(e.field).toBe('level');
    expect(e.expected).toBe('an integer zlib level from 0 to 9');
    expect(e.found).toBe(String(level));
  });

  test('levels 0 and 9 both write files that read back', () => {
    for (const level of [0, 9]) {
      const path = join(dir, `level-${level}.idx.gz`);
      writeIdx(path, { data: new Int32Array([5, -6, 7]), shape: [3] }, { level });
      expect(readFileSync(path)[0]).toBe(0x1f);
      expect(Array.from(readIdx(path).data)).toEqual([5, -6, 7]);
    }
  });
});
