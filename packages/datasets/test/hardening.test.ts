// Issue 10: bad seeds and class-name files give typed errors; batches carry their labels in JS memory.
import '@tensorflow/tfjs-backend-cpu';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { caught } from '@cnn/testing';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  batches,
  DatasetArgumentError,
  DatasetMismatchError,
  type ImageSet,
  loadMnist,
  loadMnistSplit,
  MissingFileError,
} from '../src/index';
import { removeDir, tempDir, writeTinySet } from './helpers';

const dir = tempDir();
let tiny: ImageSet;
beforeAll(async () => {
  await tf.setBackend('cpu');
  writeTinySet(dir, { train: 10, test: 5, height: 2, width: 2 });
  tiny = loadMnistSplit('train', { dir });
});
afterAll(() => removeDir(dir));

describe('batches', () => {
  for (const seed of ['x', Number.NaN, 1.5, Number.POSITIVE_INFINITY] as unknown as number[]) {
    test(`seed ${String(seed)} is a DatasetArgumentError naming the seed`, () => {
      const e = caught(DatasetArgumentError, () => batches(tiny, { batchSize: 4, seed }));
      expect(e.field).toBe('seed');
      expect(e.found).toBe(typeof seed === 'string' ? "the string 'x'" : String(seed));
    });
  }

  test('each batch carries its labels as an Int32Array equal to y', () => {
    for (const batch of batches(tiny, { batchSize: 4, seed: 3 })) {
      expect(batch.labels).toBeInstanceOf(Int32Array);
      expect(Array.from(batch.labels)).toEqual(Array.from(batch.y.dataSync()));
      tf.dispose([batch.x, batch.y]);
    }
  });
});

describe('classes.txt', () => {
  test('an empty classes.txt is a DatasetMismatchError, not "0..-1"', () => {
    const d = join(dir, 'empty-classes');
    mkdirSync(d);
    writeTinySet(d);
    writeFileSync(join(d, 'classes.txt'), '\n  \n');
    const e = caught(DatasetMismatchError, () => loadMnist({ dir: d }));
    expect(e.code).toBe('count-mismatch');
    expect(e.file).toBe(join(d, 'classes.txt'));
    expect(e.message).not.toContain('0..-1');
  });

  test('classes.txt as a directory is a MissingFileError (unreadable-file), not EISDIR', () => {
    const d = join(dir, 'dir-classes');
    mkdirSync(d);
    writeTinySet(d);
    mkdirSync(join(d, 'classes.txt'));
    const e = caught(MissingFileError, () => loadMnist({ dir: d }));
    expect(e.code).toBe('unreadable-file');
    expect(e.found).toMatch(/not a regular file/);
  });
});
