import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import {
  DatasetArgumentError,
  DatasetError,
  encodeIdx,
  IdxFormatError,
  MissingFileError,
  parseIdx,
  readIdx,
  writeIdx,
} from '../src/index';
import { caught } from '@cnn/testing';
import { idxBytes, removeDir, tempDir } from './helpers';

const dir = tempDir();
afterAll(() => removeDir(dir));

describe('IdxFormatError cases', () => {
  test('file too short for the magic number', () => {
    const e = caught(IdxFormatError, () => parseIdx(new Uint8Array([0, 0, 8]), 'short.idx'));
    expect(e.code).toBe('truncated-header');
    expect(e.file).toBe('short.idx');
    expect(e.found).toBe('3 bytes');
    expect(e.message).toBe('short.idx: header is wrong: expected at least the 4-byte magic number, found 3 bytes');
  });

  test('wrong magic', () => {
    const e = caught(IdxFormatError, () => parseIdx(new Uint8Array([0x12, 0x34, 8, 1, 0, 0, 0, 0]), 'x.idx'));
    expect(e.code).toBe('bad-magic');
    expect(e.field).toBe('magic number');
    expect(e.expected).toBe('0x00 0x00 <type> <ndims>');
    expect(e.found).toBe('0x12 0x34 0x08 0x01');
    expect(e.message).toContain('x.idx');
  });

  test('unknown type byte', () => {
    const e = caught(IdxFormatError, () => parseIdx(idxBytes(0x0a, [1], [0])));
    expect(e.code).toBe('unknown-type');
    expect(e.file).toBe('<bytes>');
    expect(e.found).toBe('0x0A in magic 0x00 0x00 0x0A 0x01');
    expect(e.expected).toContain('0x08 (uint8)');
    expect(e.expected).toContain('0x0E (float64)');
  });

  test('header shorter than its declared dimensions', () => {
    const e = caught(IdxFormatError, () => parseIdx(new Uint8Array([0, 0, 8, 3, 0, 0, 0, 1, 0, 0])));
    expect(e.code).toBe('truncated-header');
    expect(e.expected).toBe('16 bytes (magic + 3 big-endian uint32 dimensions)');
    expect(e.found).toBe('10 bytes');
  });

  test('truncated payload', () => {
    const full = encodeIdx({ data: new Int16Array(10), shape: [2, 5] });
    const e = caught(IdxFormatError, () => parseIdx(full.subarray(0, full.length - 3), 'cut.idx'));
    expect(e.code).toBe('truncated-payload');
    expect(e.expected).toBe('20 bytes ([2, 5] × 2-byte int16)');
    expect(e.found).toBe('17 bytes after the 12-byte header');
  });

  test('trailing bytes', () => {
    const full = encodeIdx({ data: new Uint8Array(4), shape: [4] });
    const padded = new Uint8Array(full.length + 2);
    padded.set(full);
    const e = caught(IdxFormatError, () => parseIdx(padded, 'pad.idx'));
    expect(e.code).toBe('trailing-bytes');
    expect(e.expected).toBe('12 bytes (header + [4] uint8)');
    expect(e.found).toBe('14 bytes (2 trailing)');
  });

  test('a declared 2-billion-item set in a small file is rejected without allocating', () => {
    const e = caught(IdxFormatError, () => parseIdx(idxBytes(0x08, [0x80000000, 1], [1, 2, 3])));
    expect(e.code).toBe('truncated-payload');
    expect(e.expected).toBe('2147483648 bytes ([2147483648, 1] × 1-byte uint8)');
    expect(e.found).toBe('3 bytes after the 12-byte header');
    // 4 billion one-byte items plus the header no longer fit in a buffer at all.
    const e2 = caught(IdxFormatError, () => parseIdx(idxBytes(0x08, [0xffffffff, 1], [1, 2, 3])));
    expect(e2.code).toBe('dimension-overflow');
    expect(e2.found).toBe('4294967307 bytes ([4294967295, 1] × 1-byte uint8 + 12-byte header)');
  });

  test('dimension product that overflows', () => {
    const e = caught(IdxFormatError, () => parseIdx(idxBytes(0x0e, [0xffffffff, 0xffffffff, 28, 28])));
    expect(e.code).toBe('dimension-overflow');
    expect(e.expected).toBe('a product of at most 4294967295 elements');
    expect(e.found).toBe('[4294967295, 4294967295, 28, 28], product 1.446e+22');
    const e2 = caught(IdxFormatError, () => parseIdx(idxBytes(0x08, [65536, 65536])));
    expect(e2.code).toBe('dimension-overflow');
  });

  test('corrupt gzip: bad CRC, truncated stream, trailing garbage', () => {
    const gz = gzipSync(encodeIdx({ data: new Uint8Array([1, 2, 3]), shape: [3] }));
    const badCrc = Uint8Array.from(gz);
    badCrc[badCrc.length - 6]! ^= 0xff;
    for (const [bytes, reason] of [
      [badCrc, 'incorrect data check'],
      [gz.subarray(0, gz.length - 4), 'unexpected end of file'],
      [Uint8Array.from([...gz, 9, 9, 9]), 'incorrect header check'],
    ] as const) {
      const e = caught(IdxFormatError, () => parseIdx(bytes, 'set.gz'));
      expect(e.code).toBe('corrupt-gzip');
      expect(e.file).toBe('set.gz');
      expect(e.found).toContain(reason);
      expect(e.message).toMatch(/^set\.gz: gzip stream is wrong: expected a complete, valid gzip stream, found/);
    }
  });

  test('a gzip stream that inflates past its declared size stops at the limit (no gzip bomb)', () => {
    const header = idxBytes(0x08, [3], [1, 2, 3]);
    const bomb = new Uint8Array(header.length + 20_000_000);
    bomb.set(header);
    const e = caught(IdxFormatError, () => parseIdx(gzipSync(bomb), 'bomb.gz'));
    expect(e.code).toBe('trailing-bytes');
    expect(e.field).toBe('decompressed length');
    expect(e.expected).toBe('11 bytes (header + payload)');
    const e2 = caught(IdxFormatError, () => parseIdx(gzipSync(idxBytes(0x0d, [1 << 20, 1 << 20])), 'huge.gz'));
    expect(e2.code).toBe('dimension-overflow');
    expect(e2.found).toBe('[1048576, 1048576], product 1.100e+12');
  });

  test('errors inside a valid gzip stream name the file too', () => {
    const path = join(dir, 'bad-magic.gz');
    writeFileSync(path, gzipSync(new Uint8Array([1, 2, 8, 1, 0, 0, 0, 0])));
    const e = caught(IdxFormatError, () => readIdx(path));
    expect(e.code).toBe('bad-magic');
    expect(e.file).toBe(path);
  });
});

describe('file and argument errors', () => {
  test('missing file', () => {
    const path = join(dir, 'nope-idx1-ubyte');
    const e = caught(MissingFileError, () => readIdx(path));
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.code).toBe('missing-file');
    expect(e.message).toBe(`${path}: file is wrong: expected a readable IDX file, found no such file`);
  });

  test('a directory instead of a file', () => {
    const sub = join(dir, 'a-dir');
    mkdirSync(sub);
    const e = caught(MissingFileError, () => readIdx(sub));
    expect(e.code).toBe('unreadable-file');
    expect(e.found).toContain('EISDIR');
  });

  test('writer rejects shapes that do not match and arrays that are not IDX types', () => {
    const e = caught(DatasetArgumentError, () => encodeIdx({ data: new Uint8Array(6), shape: [4, 2] }));
    expect(e.code).toBe('invalid-argument');
    expect(e.expected).toBe('a product equal to data.length 6');
    expect(e.found).toBe('[4, 2] = 8');
    const e2 = caught(DatasetArgumentError, () =>
      encodeIdx({ data: new Uint16Array(2) as unknown as Uint8Array, shape: [2] }),
    );
    expect(e2.found).toBe('Uint16Array');
    const e3 = caught(DatasetArgumentError, () =>
      writeIdx(join(dir, 'neg.idx'), { data: new Uint8Array(0), shape: [-1] }),
    );
    expect(e3.file).toBe(join(dir, 'neg.idx'));
    expect(e3.found).toBe('[-1]');
  });
});
